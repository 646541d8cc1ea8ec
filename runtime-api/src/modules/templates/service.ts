// The tenant's copies of the ITSM templates: which template release each came from, whether a
// newer one can be taken (never forced), what differs, and "reset to template".
import { diffElements, type ElementDiff, PROCESS_TEMPLATES, type ProcessTemplate, templateVersionOf } from '@serviceloom/templates';
import type { Principal } from '../../platform/auth/tokens.ts';
import { DomainError } from '../../platform/errors.ts';
import type { LatestDefinition, ProcessPort } from '../../process/port.ts';

export interface TemplateStatus {
  key: string;
  name: { en: string; 'zh-CN': string };
  templateVersion: number;
  /** The tenant's latest version of the definition, or null when it has none. */
  deployedVersion: number | null;
  /** The template release the tenant's latest version was made from (null: not from a template). */
  basedOn: number | null;
  /** Whether the tenant's latest version differs from the template as shipped. */
  customised: boolean;
  upgradeAvailable: boolean;
}

export interface TemplateDiff extends ElementDiff {
  key: string;
  templateVersion: number;
  deployedVersion: number;
}

const templateNotFound = (key: string) => new DomainError('not_found', 'TEMPLATE_NOT_FOUND', `template "${key}" does not exist`);

export class TemplateService {
  constructor(private readonly process: ProcessPort) {}

  private template(key: string): ProcessTemplate {
    const template = PROCESS_TEMPLATES.find((t) => t.key === key);
    if (!template) throw templateNotFound(key);
    return template;
  }

  private async latest(tenantId: string): Promise<Map<string, LatestDefinition>> {
    return new Map((await this.process.latestDefinitions(tenantId)).map((d) => [d.key, d]));
  }

  async list(tenantId: string): Promise<TemplateStatus[]> {
    const latest = await this.latest(tenantId);
    return PROCESS_TEMPLATES.map((t) => {
      const own = latest.get(t.key);
      const basedOn = own ? templateVersionOf(own.bpmnXml) : null;
      return {
        key: t.key,
        name: t.name,
        templateVersion: t.version,
        deployedVersion: own?.version ?? null,
        basedOn,
        customised: own !== undefined && own.bpmnXml !== t.bpmn,
        // Offered when the tenant's copy came from an older release; a copy that is not from a
        // template (or none at all) is the tenant's own: "reset" is there for it.
        upgradeAvailable: basedOn !== null && basedOn < t.version,
      };
    });
  }

  /** Deploys the template as the tenant's next version; running instances keep theirs. */
  async reset(caller: Principal, key: string): Promise<{ key: string; version: number; created: boolean }> {
    const template = this.template(key);
    return this.process.deploy(caller.tenantId, { userId: caller.userId, username: caller.username }, template.bpmn);
  }

  /** Element differences from the template to the tenant's latest version (added: only in the tenant's). */
  async diff(tenantId: string, key: string): Promise<TemplateDiff> {
    const template = this.template(key);
    const own = (await this.latest(tenantId)).get(key);
    if (!own)
      throw new DomainError(
        'not_found',
        'NOT_DEPLOYED',
        `the tenant has no definition "${key}" to compare; reset it to the template first`,
      );
    return { key, templateVersion: template.version, deployedVersion: own.version, ...(await diffElements(template.bpmn, own.bpmnXml)) };
  }
}
