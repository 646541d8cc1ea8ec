// Business calendars (/itsm/calendars): the list (`default` first, the built-in one until the
// tenant stores its own), a drawer to create or edit one (zone, spans per weekday, holidays,
// make-up days) and a month view of which dates are worked. Loaded on demand with FullCalendar,
// so neither is in any page's first load.

import { MinusCircleOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayGridPlugin from '@fullcalendar/daygrid';
import FullCalendar from '@fullcalendar/react';
import type { Calendar, CalendarWeek, CreateCalendarBody, UpdateCalendarBody } from '@serviceloom/contracts';
import type { TableColumnsType } from 'antd';
import { Alert, App, Button, Drawer, Flex, Form, Input, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { type HTMLAttributes, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { errorText } from './adminApi.ts';
import { ADMIN_NS } from './i18n.ts';
import { TIME_ZONES, useLoad } from './shared.ts';

type Weekday = keyof CalendarWeek;
const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CALENDAR_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface CalendarForm {
  id: string;
  name: string;
  timezone: string;
  week: Partial<Record<Weekday, Array<{ start: string; end: string }>>>;
  holidays: string[];
  workdays: string[];
}

const calendarsApi = {
  list: () => api.call('calendars.list'),
  create: (body: CreateCalendarBody) => api.call('calendars.create', { body }),
  update: (id: string, body: UpdateCalendarBody) => api.call('calendars.update', { params: { id }, body }),
  remove: (id: string) => api.call('calendars.delete', { params: { id } }),
};

/** Weekday of a YYYY-MM-DD date, Monday = 0. */
const weekdayOf = (iso: string) => (new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7;

/** Whether a date is worked, as the server counts it: holidays never, make-up weekend days with Monday's hours. */
function isWorked(c: Pick<CalendarForm, 'week' | 'holidays' | 'workdays'>, iso: string): boolean {
  if (c.holidays.includes(iso)) return false;
  const day = weekdayOf(iso);
  const spans = (d: Weekday) => (c.week[d] ?? []).filter((s) => s?.start && s?.end).length > 0;
  if (day >= 5 && c.workdays.includes(iso)) return spans('mon');
  return spans(WEEKDAYS[day] as Weekday);
}

const formOf = (c: Calendar): CalendarForm => ({
  id: c.id,
  name: c.name,
  timezone: c.timezone,
  week: Object.fromEntries(WEEKDAYS.map((d) => [d, (c.week[d] ?? []).map(([start, end]) => ({ start, end }))])),
  holidays: c.holidays,
  workdays: c.workdays,
});

const bodyOf = (v: CalendarForm) => ({
  name: v.name?.trim() || undefined,
  timezone: v.timezone,
  week: Object.fromEntries(
    WEEKDAYS.map((d) => [d, (v.week?.[d] ?? []).filter(Boolean).map((s): [string, string] => [s.start, s.end])]).filter(
      ([, spans]) => spans.length > 0,
    ),
  ) as CalendarWeek,
  holidays: v.holidays ?? [],
  workdays: v.workdays ?? [],
});

const localDate = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export default function CalendarsTab() {
  const { t } = useTranslation(ADMIN_NS);
  const calendars = useLoad(() => calendarsApi.list());
  const [editing, setEditing] = useState<Calendar | 'new'>();

  const columns: TableColumnsType<Calendar> = [
    {
      title: t('calendars.id'),
      dataIndex: 'id',
      render: (id: string, c) => (
        <Flex gap="small" align="center">
          <Typography.Link onClick={() => setEditing(c)} data-testid={`calendar-edit-${id}`}>
            {id}
          </Typography.Link>
          {c.builtIn && <Tag>{t('calendars.builtIn')}</Tag>}
        </Flex>
      ),
    },
    { title: t('calendars.name'), dataIndex: 'name' },
    { title: t('calendars.timezone'), dataIndex: 'timezone' },
    {
      title: t('calendars.hours'),
      dataIndex: 'week',
      render: (week: CalendarWeek) =>
        WEEKDAYS.filter((d) => (week[d] ?? []).length > 0).map((d) => (
          <Tag key={d}>
            {t(`calendars.days.${d}`)} {(week[d] ?? []).map(([a, b]) => `${a}–${b}`).join(', ')}
          </Tag>
        )),
    },
    { title: t('calendars.holidays'), dataIndex: 'holidays', render: (h: string[]) => h.length },
    { title: t('calendars.workdays'), dataIndex: 'workdays', render: (w: string[]) => w.length },
  ];

  return (
    <Flex vertical gap="middle">
      <Flex gap="small" justify="flex-end">
        <Button icon={<ReloadOutlined />} onClick={calendars.reload}>
          {t('common.refresh')}
        </Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="calendar-new">
          {t('common.create')}
        </Button>
      </Flex>
      {calendars.error && <Alert type="error" title={t('common.loadFailed', { message: calendars.error })} />}
      <Table<Calendar>
        rowKey="id"
        size="middle"
        loading={calendars.loading}
        columns={columns}
        dataSource={calendars.data}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(c) => ({ 'data-testid': `calendar-row-${c.id}` }) as HTMLAttributes<HTMLElement>}
      />
      {editing && (
        <CalendarDrawer
          calendar={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onChanged={() => {
            setEditing(undefined);
            calendars.reload();
          }}
        />
      )}
    </Flex>
  );
}

function CalendarDrawer({ calendar, onClose, onChanged }: { calendar: Calendar | undefined; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation(ADMIN_NS);
  const { message } = App.useApp();
  const [form] = Form.useForm<CalendarForm>();
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  const stored = calendar && !calendar.builtIn;
  const initial: CalendarForm = calendar
    ? formOf(calendar)
    : {
        id: '',
        name: '',
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
        week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '18:00' }]])),
        holidays: [],
        workdays: [],
      };
  const values = (Form.useWatch([], form) as CalendarForm | undefined) ?? initial;

  const attempt = async (work: () => Promise<unknown>, done: string) => {
    setSaving(true);
    setFailure(undefined);
    try {
      await work();
      message.success(done);
      onChanged();
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const save = (v: CalendarForm) =>
    attempt(
      () => (calendar ? calendarsApi.update(calendar.id, bodyOf(v)) : calendarsApi.create({ id: v.id, ...bodyOf(v) })),
      t('common.saved'),
    );
  const remove = () => calendar && attempt(() => calendarsApi.remove(calendar.id), t('common.deleted'));

  const dates = (field: 'holidays' | 'workdays', weekendOnly: boolean) => [
    {
      validator: async (_: unknown, list: string[] | undefined) => {
        const bad = (list ?? []).find((d) => !DATE.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)));
        if (bad) throw new Error(t('calendars.badDate', { date: bad }));
        const weekday = weekendOnly ? (list ?? []).find((d) => weekdayOf(d) < 5) : undefined;
        if (weekday) throw new Error(t('calendars.notWeekend', { date: weekday }));
      },
      field,
    },
  ];

  return (
    <Drawer
      open
      size="large"
      title={calendar ? t('calendars.editTitle', { id: calendar.id }) : t('calendars.createTitle')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Flex gap="small">
          {calendar && (stored || calendar.id !== 'default') && (
            <Popconfirm
              title={calendar.id === 'default' ? t('calendars.confirmRestore') : t('common.confirmDelete', { name: calendar.name })}
              onConfirm={remove}
            >
              <Button danger data-testid="calendar-delete">
                {calendar.id === 'default' ? t('calendars.restore') : t('common.delete')}
              </Button>
            </Popconfirm>
          )}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="calendar-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {failure && <Alert type="error" title={failure} style={{ marginBottom: 16 }} data-testid="calendar-error" />}
      {calendar?.builtIn && <Alert type="info" title={t('calendars.builtInHint')} style={{ marginBottom: 16 }} />}
      <Form<CalendarForm> form={form} layout="vertical" initialValues={initial} onFinish={save}>
        <Flex gap="middle">
          <Form.Item
            name="id"
            label={t('calendars.id')}
            style={{ flex: 1 }}
            rules={[{ required: true }, { pattern: CALENDAR_ID, message: t('calendars.idHint') }]}
          >
            <Input disabled={Boolean(calendar)} data-testid="calendar-id" />
          </Form.Item>
          <Form.Item name="name" label={t('calendars.name')} style={{ flex: 1 }} rules={[{ max: 200 }]}>
            <Input data-testid="calendar-name" />
          </Form.Item>
        </Flex>
        <Form.Item name="timezone" label={t('calendars.timezone')} rules={[{ required: true }]}>
          <Select showSearch options={TIME_ZONES.map((z) => ({ value: z, label: z }))} data-testid="calendar-timezone" />
        </Form.Item>
        <Typography.Title level={5}>{t('calendars.hours')}</Typography.Title>
        {WEEKDAYS.map((day) => (
          <Flex key={day} gap="small" align="baseline" wrap>
            <Typography.Text style={{ width: 64 }}>{t(`calendars.days.${day}`)}</Typography.Text>
            <Form.List name={['week', day]}>
              {(fields, { add, remove: drop }) => (
                <>
                  {fields.length === 0 && <Typography.Text type="secondary">{t('calendars.dayOff')}</Typography.Text>}
                  {fields.map((f, i) => (
                    <Flex key={f.key} gap={4} align="baseline">
                      <Form.Item name={[f.name, 'start']} rules={[{ required: true, pattern: CLOCK, message: 'HH:MM' }]}>
                        <Input style={{ width: 76 }} placeholder="09:00" data-testid={`calendar-span-${day}-${i}-start`} />
                      </Form.Item>
                      <span>–</span>
                      <Form.Item
                        name={[f.name, 'end']}
                        dependencies={[['week', day, f.name, 'start']]}
                        rules={[
                          { required: true, pattern: CLOCK, message: 'HH:MM' },
                          ({ getFieldValue }) => ({
                            validator: async (_: unknown, end: string) => {
                              const start = getFieldValue(['week', day, f.name, 'start']) as string;
                              if (CLOCK.test(start ?? '') && CLOCK.test(end ?? '') && start >= end)
                                throw new Error(t('calendars.startBeforeEnd'));
                            },
                          }),
                        ]}
                      >
                        <Input style={{ width: 76 }} placeholder="18:00" data-testid={`calendar-span-${day}-${i}-end`} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => drop(f.name)} aria-label={t('common.delete')} />
                    </Flex>
                  ))}
                  <Button
                    size="small"
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ start: '09:00', end: '18:00' })}
                    data-testid={`calendar-day-${day}-add`}
                  >
                    {t('calendars.addSpan')}
                  </Button>
                </>
              )}
            </Form.List>
          </Flex>
        ))}
        <Form.Item
          name="holidays"
          label={t('calendars.holidays')}
          extra={t('calendars.datesHint')}
          rules={dates('holidays', false)}
          style={{ marginTop: 16 }}
        >
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', ' ']} data-testid="calendar-holidays" />
        </Form.Item>
        <Form.Item name="workdays" label={t('calendars.workdays')} extra={t('calendars.workdaysHint')} rules={dates('workdays', true)}>
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', ' ']} data-testid="calendar-workdays" />
        </Form.Item>
      </Form>
      <MonthView values={values} stored={[...initial.holidays, ...initial.workdays]} />
    </Drawer>
  );
}

/**
 * The month view: worked dates light, others grey; holidays and make-up days named. It opens on
 * the earliest stored date and moves to a date as soon as one is added to the form.
 */
function MonthView({ values, stored }: { values: CalendarForm; stored: string[] }) {
  const { t, i18n } = useTranslation(ADMIN_NS);
  const holidays = (values.holidays ?? []).filter((d) => DATE.test(d));
  const workdays = (values.workdays ?? []).filter((d) => DATE.test(d));
  const c = { week: values.week ?? {}, holidays, workdays };
  const view = useRef<FullCalendar>(null);
  const seen = useRef(new Set(stored));
  const named = [...holidays, ...workdays].join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `named` stands for the two lists
  useEffect(() => {
    const added = [...holidays, ...workdays].filter((d) => !seen.current.has(d) && !Number.isNaN(Date.parse(d)));
    for (const d of added) seen.current.add(d);
    const last = added[added.length - 1];
    if (last) view.current?.getApi().gotoDate(last);
  }, [named]);
  return (
    <div data-testid="calendar-month" style={{ marginTop: 16 }}>
      <style>{'.sl-cal-working { background: #f6ffed; } .sl-cal-off { background: #f0f0f0; }'}</style>
      <Flex gap="small" style={{ marginBottom: 8 }}>
        <Tag color="green">{t('calendars.working')}</Tag>
        <Tag>{t('calendars.nonWorking')}</Tag>
        <Tag color="red">{t('calendars.holiday')}</Tag>
        <Tag color="blue">{t('calendars.makeUp')}</Tag>
      </Flex>
      <FullCalendar
        ref={view}
        plugins={[dayGridPlugin]}
        initialView="dayGridMonth"
        initialDate={[...stored].sort()[0]}
        locale={i18n.language === 'zh-CN' ? 'zh-cn' : 'en'}
        firstDay={1}
        height="auto"
        headerToolbar={{ left: 'prev,next today', center: 'title', right: '' }}
        buttonText={{ today: t('calendars.today') }}
        events={[
          ...holidays.map((d) => ({ start: d, allDay: true, title: t('calendars.holiday'), color: '#cf1322' })),
          ...workdays.map((d) => ({ start: d, allDay: true, title: t('calendars.makeUp'), color: '#1677ff' })),
        ]}
        dayCellClassNames={(arg) => [isWorked(c, localDate(arg.date)) ? 'sl-cal-working' : 'sl-cal-off']}
      />
    </div>
  );
}
