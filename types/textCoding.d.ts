/**
 * The WHATWG Encoding API's TextEncoder and TextDecoder, as far as the pure
 * layers use them (telemetry's byte chunks): every engine meshviz runs on
 * (Node, browsers) has them, but the pure layers' tsconfig has neither DOM
 * nor Node types, so they are declared here, for that tsconfig only.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string);
  decode(input?: Uint8Array): string;
}
