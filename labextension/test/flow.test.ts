import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  FlowAction,
  FlowError,
  FlowModel,
  flowActionOfAction,
  flowActionsOfBindings
} from '../src/models/flow';
import { actionJson, bindingJson } from './fixtures';

const card = (name: string, version: number | null = 1): FlowAction => ({
  actionName: name,
  actionId: `id-${name}`,
  version
});

const names = (actions: ReadonlyArray<FlowAction>): string[] =>
  actions.map(a => a.actionName);

const states = (model: FlowModel): string[] =>
  model.cards().map(c => `${c.actionName}:${c.state}`);

const flow = (...cards: string[]): FlowModel =>
  new FlowModel(
    'post-login',
    cards.map(name => card(name))
  );

describe('FlowModel', () => {
  test('a loaded flow is clean, every card unchanged', () => {
    const model = flow('a', 'b', 'c');
    assert.equal(model.isDirty, false);
    assert.deepEqual(states(model), [
      'a:unchanged',
      'b:unchanged',
      'c:unchanged'
    ]);
    assert.deepEqual(model.removed(), []);
  });

  test('move puts the card at the target position (drop semantics)', () => {
    const model = flow('a', 'b', 'c', 'd');
    model.move(0, 2);
    assert.deepEqual(names(model.pending), ['b', 'c', 'a', 'd']);
    model.move(3, 0);
    assert.deepEqual(names(model.pending), ['d', 'b', 'c', 'a']);
    assert.deepEqual(names(model.applied), ['a', 'b', 'c', 'd']);
    assert.equal(model.isDirty, true);
  });

  test('only the dragged card is marked moved', () => {
    const model = flow('a', 'b', 'c', 'd');
    model.move(0, 3);
    assert.deepEqual(states(model), [
      'b:unchanged',
      'c:unchanged',
      'd:unchanged',
      'a:moved'
    ]);
  });

  test('swapping two neighbours marks the one dragged, either way', () => {
    const down = flow('a', 'b');
    down.move(0, 1);
    assert.deepEqual(states(down), ['b:unchanged', 'a:moved']);
    const up = flow('a', 'b');
    up.move(1, 0);
    assert.deepEqual(states(up), ['b:moved', 'a:unchanged']);
  });

  test('a card dragged back to its place is clean again', () => {
    const model = flow('a', 'b', 'c');
    model.move(0, 2);
    model.move(2, 0);
    assert.equal(model.isDirty, false);
    assert.deepEqual(states(model), [
      'a:unchanged',
      'b:unchanged',
      'c:unchanged'
    ]);
  });

  test('removing a card shifts no other card into "moved"', () => {
    const model = flow('a', 'b', 'c');
    const gone = model.remove(0);
    assert.equal(gone.actionName, 'a');
    assert.deepEqual(states(model), ['b:unchanged', 'c:unchanged']);
    assert.deepEqual(
      model.removed().map(r => [r.actionName, r.appliedIndex]),
      [['a', 0]]
    );
    assert.equal(model.isDirty, true);
  });

  test('add appends by default or inserts at a position, marked added', () => {
    const model = flow('a', 'b');
    model.add(card('x', 3));
    model.add(card('y'), 0);
    assert.deepEqual(states(model), [
      'y:added',
      'a:unchanged',
      'b:unchanged',
      'x:added'
    ]);
    assert.equal(model.pending[3].version, 3);
  });

  test('an action is added once only', () => {
    const model = flow('a', 'b');
    assert.throws(
      () => model.add(card('b')),
      new FlowError(
        'b is already in the flow (position 1): a flow runs each action once at most'
      )
    );
    assert.throws(
      () => model.add(card('a'), 2),
      /a is already in the flow \(position 0\)/
    );
    assert.deepEqual(names(model.pending), ['a', 'b']);
  });

  test('an action with no deployed version is refused', () => {
    const model = flow();
    assert.throws(
      () => model.add(card('x', null)),
      /x has no deployed version: deploy it/
    );
    assert.equal(model.pending.length, 0);
  });

  test('a removed action can be added back, and the flow is clean again', () => {
    const model = flow('a', 'b');
    const gone = model.remove(1);
    model.add(gone);
    assert.equal(model.isDirty, false);
    assert.deepEqual(model.removed(), []);
  });

  test('bad positions are refused in one line and change nothing', () => {
    const model = flow('a', 'b', 'c');
    const refusals: Array<[() => unknown, string]> = [
      [
        () => model.move(3, 0),
        'cannot move from position 3: positions run from 0 to 2'
      ],
      [
        () => model.move(0, -1),
        'cannot move to position -1: positions run from 0 to 2'
      ],
      [
        () => model.move(0.5, 1),
        'cannot move from position 0.5: a position is a whole number'
      ],
      [
        () => model.move(Number.NaN, 1),
        'cannot move from position NaN: a position is a whole number'
      ],
      [
        () => model.remove(3),
        'cannot remove position 3: positions run from 0 to 2'
      ],
      [
        () => model.add(card('x'), 4),
        'cannot add at position 4: positions run from 0 to 3'
      ],
      [() => flow().remove(0), 'cannot remove position 0: the flow is empty']
    ];
    for (const [operation, message] of refusals) {
      assert.throws(operation, (error: unknown) => {
        assert.ok(error instanceof FlowError);
        assert.equal(error.message, message);
        assert.ok(!error.message.includes('\n'));
        return true;
      });
    }
    assert.deepEqual(names(model.pending), ['a', 'b', 'c']);
    assert.equal(model.isDirty, false);
  });

  test('apply returns the PATCH body in the pending order and changes nothing', () => {
    const model = flow('a', 'b', 'c');
    model.move(2, 0);
    model.remove(1);
    model.add(card('d'));
    assert.deepEqual(model.apply(), {
      bindings: [
        { ref: { type: 'action_name', value: 'c' }, display_name: 'c' },
        { ref: { type: 'action_name', value: 'b' }, display_name: 'b' },
        { ref: { type: 'action_name', value: 'd' }, display_name: 'd' }
      ]
    });
    assert.equal(model.isDirty, true);
    assert.deepEqual(names(model.applied), ['a', 'b', 'c']);
  });

  test('an emptied flow applies as an empty list (not an omitted one)', () => {
    const model = flow('a');
    model.remove(0);
    assert.deepEqual(model.apply(), { bindings: [] });
  });

  test('discard returns to the applied flow', () => {
    const model = flow('a', 'b', 'c');
    model.move(0, 2);
    model.remove(0);
    model.add(card('x'));
    model.discard();
    assert.equal(model.isDirty, false);
    assert.deepEqual(states(model), [
      'a:unchanged',
      'b:unchanged',
      'c:unchanged'
    ]);
    assert.deepEqual(model.removed(), []);
  });

  test('loading the server response after Apply leaves a clean model', () => {
    const model = flow('a', 'b');
    model.move(0, 1);
    model.load([card('b', 2), card('a', 1)]);
    assert.equal(model.isDirty, false);
    assert.deepEqual(states(model), ['b:unchanged', 'a:unchanged']);
    assert.equal(model.pending[0].version, 2);
  });

  test('a refresh keeps pending edits and updates their versions', () => {
    const model = flow('a', 'b');
    model.move(0, 1);
    model.load([card('a', 5), card('b', 7)]);
    assert.deepEqual(names(model.pending), ['b', 'a']);
    assert.deepEqual(
      model.pending.map(a => a.version),
      [7, 5]
    );
    assert.equal(model.isDirty, true);
  });

  test('a refresh of a clean model follows the server', () => {
    const model = flow('a', 'b');
    model.load([card('c')]);
    assert.deepEqual(names(model.pending), ['c']);
    assert.equal(model.isDirty, false);
  });

  test('a server flow listing an action twice is refused', () => {
    assert.throws(
      () => flow('a', 'a'),
      new FlowError('the flow from the server lists a twice')
    );
  });

  test('addable lists the deployed actions not yet in the flow', () => {
    const model = flow('a');
    assert.deepEqual(
      names(model.addable([card('a'), card('b'), card('c', null)])),
      ['b']
    );
  });
});

describe('reading the server JSON', () => {
  test('bindings become flow actions in order with the version they run', () => {
    const actions = flowActionsOfBindings([
      bindingJson('add-roles-claim', 2),
      bindingJson('deny-blocked', 1)
    ]);
    assert.deepEqual(actions, [
      {
        actionName: 'add-roles-claim',
        actionId: 'id-add-roles-claim',
        version: 2
      },
      { actionName: 'deny-blocked', actionId: 'id-deny-blocked', version: 1 }
    ]);
  });

  test('a deployed action of the trigger can join its flow', () => {
    const action = actionJson({ name: 'greet', deployed: 4 });
    assert.deepEqual(flowActionOfAction(action, 'post-login'), {
      actionName: 'greet',
      actionId: 'id-greet',
      version: 4
    });
  });

  test('an action of another trigger or never deployed is refused', () => {
    assert.throws(
      () =>
        flowActionOfAction(
          actionJson({ name: 'greet', deployed: 1 }),
          'credentials-exchange'
        ),
      new FlowError(
        'greet is an action for post-login, not credentials-exchange: it cannot join this flow'
      )
    );
    assert.throws(
      () => flowActionOfAction(actionJson({ name: 'greet' }), 'post-login'),
      new FlowError(
        'greet has no deployed version: deploy it before adding it to a flow'
      )
    );
  });
});
