// Comlink's handler for thrown values, replaced on both sides of the Worker boundary so that
// errors arrive as the classes they were (see errors.ts).
import * as Comlink from 'comlink';
import { deserializeError, serializeError, type SerializedError } from './errors.js';

type ThrowHandler = Comlink.TransferHandler<{ value: unknown }, SerializedError>;

// Comlink marks a thrown value with a symbol it does not export: its own handler still
// recognises it, and ours takes over the rest.
const stock = Comlink.transferHandlers.get('throw')!;

const throwHandler: ThrowHandler = {
  canHandle: (value): value is { value: unknown } => stock.canHandle(value),
  serialize: ({ value }) => [serializeError(value), []],
  deserialize: (data) => {
    throw deserializeError(data);
  },
};

export function installErrorTransfer(): void {
  Comlink.transferHandlers.set('throw', throwHandler as Comlink.TransferHandler<unknown, unknown>);
}

export { Comlink };
