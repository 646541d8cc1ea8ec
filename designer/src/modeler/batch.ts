// One undoable step made of several modeling calls: the calls run inside a command's preExecute,
// so diagram-js records them as one unit that undo reverts at once.

interface CommandStack {
  registerHandler(name: string, handler: new () => unknown): void;
  execute(name: string, context: unknown): void;
}

class BatchHandler {
  preExecute(context: { run: () => void }): void {
    context.run();
  }
  execute(): unknown[] {
    return [];
  }
  revert(): unknown[] {
    return [];
  }
}

export class SlBatch {
  static $inject = ['commandStack'];
  constructor(private readonly commandStack: CommandStack) {
    commandStack.registerHandler('sl.batch', BatchHandler);
  }

  run(fn: () => void): void {
    this.commandStack.execute('sl.batch', { run: fn });
  }
}

export default { __init__: ['slBatch'], slBatch: ['type', SlBatch] };
