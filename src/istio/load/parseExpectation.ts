import { parseDuration, RESPONSE_FLAGS, type Comparison, type Expectation, type ExpectSubject, type ExpectWindow, type Micros, type ResponseFlag, type StatusMatch } from '../../model/index.ts';

/** A condition without where it was written. */
export type ParsedExpectation = Expectation extends infer E ? (E extends unknown ? Omit<E, 'text' | 'source' | 'path'> : never) : never;

export type ExpectationParse = { ok: true; expectation: ParsedExpectation } | { ok: false; offset: number; message: string };

/**
 * The grammar of one condition (words are case-sensitive, spaces free):
 *
 *     p50|p90|p99|p99.9 of SUBJECT OP DURATION [WINDOW]
 *     success rate of SUBJECT OP NUMBER % [WINDOW]
 *     no STATUS [FLAGS] [of SUBJECT] [WINDOW]      no 503 UH · no 5xx of traffic browse · no UO
 *     NAME ejected within DURATION of failing
 *     retries OP NUMBER [% of requests] [WINDOW]
 *
 *     SUBJECT = traffic NAME | NAME → NAME (or ->)      OP = < <= ≤ > >= ≥ =
 *     WINDOW  = between D and D | after D | before D
 */
export function parseExpectation(text: string): ExpectationParse {
  try {
    return { ok: true, expectation: new Parser(text).expectation() };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, offset: error.offset, message: error.message };
    throw error;
  }
}

class ParseError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

interface Token {
  text: string;
  offset: number;
}

const OPERATORS: Record<string, Comparison> = { '<': '<', '<=': '<=', '≤': '<=', '>': '>', '>=': '>=', '≥': '>=', '=': '=', '==': '=' };
const PERCENTILES = new Map([['p50', 50], ['p90', 90], ['p99', 99], ['p99.9', 99.9]]);
/** Operators, arrows, `%` and `,`; then words (a `-` that starts `->` ends a word). */
const TOKEN = /\s*(<=|>=|==|->|[<>=≤≥→%,]|(?:[^\s<>=≤≥→%,-]|-(?!>))+)/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) {
      if (text.slice(start).trim() === '') break;
      throw new ParseError(start, 'unexpected character');
    }
    const word = match[1] as string;
    tokens.push({ text: word, offset: match.index + match[0].length - word.length });
  }
  return tokens;
}

class Parser {
  private readonly tokens: Token[];
  private at = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  expectation(): ParsedExpectation {
    const first = this.peek();
    if (!first) throw new ParseError(0, `an empty condition (${FORMS})`);
    let parsed: ParsedExpectation;
    const percentile = PERCENTILES.get(first.text);
    if (percentile !== undefined) {
      this.next();
      this.word('of');
      const subject = this.subject();
      const op = this.operator();
      parsed = { kind: 'latency', percentile, subject, op, value: this.duration(), window: undefined };
    } else if (first.text === 'success') {
      this.next();
      this.word('rate');
      this.word('of');
      const subject = this.subject();
      const op = this.operator();
      parsed = { kind: 'successRate', subject, op, percent: this.percent(), window: undefined };
    } else if (first.text === 'no') {
      this.next();
      parsed = this.none();
    } else if (first.text === 'retries') {
      this.next();
      const op = this.operator();
      const value = this.number();
      const percent = this.accept('%') !== undefined;
      if (percent) {
        this.word('of');
        this.word('requests');
      }
      parsed = { kind: 'retries', op, value, percent, window: undefined };
    } else if (this.tokens[this.at + 1]?.text === 'ejected') {
      const target = this.name('a workload or pod');
      this.word('ejected');
      this.word('within');
      const within = this.duration();
      this.word('of');
      this.word('failing');
      return this.end({ kind: 'ejected', target, within, window: undefined });
    } else {
      throw new ParseError(first.offset, `"${first.text}" does not start a condition (${FORMS})`);
    }
    return this.end({ ...parsed, window: this.window() });
  }

  private none(): ParsedExpectation {
    let status: StatusMatch | undefined;
    const code = this.peek();
    if (code && /^[1-5](\d\d|xx)$/.test(code.text)) {
      this.next();
      status = code.text.endsWith('xx') ? { kind: 'class', hundreds: Number(code.text[0]) } : { kind: 'exact', status: Number(code.text) };
    }
    const flags: ResponseFlag[] = [];
    for (let token = this.peek(); token && isFlag(token.text); token = this.peek()) {
      this.next();
      flags.push(token.text);
      this.accept(',');
    }
    if (!status && flags.length === 0) throw this.expected('a status (503, 5xx) or a response flag (UH, UO, NR…) after "no"');
    const subject: ExpectSubject = this.accept('of') ? this.subject() : { kind: 'all' };
    return { kind: 'none', status, flags, subject, window: undefined };
  }

  private subject(): ExpectSubject {
    if (this.accept('traffic')) return { kind: 'traffic', name: this.name('a traffic name') };
    const from = this.name('"traffic NAME" or "SOURCE → SERVICE"');
    if (!this.accept('→') && !this.accept('->')) throw this.expected(`"→" after "${from}" (a call is SOURCE → SERVICE; a traffic source is "traffic NAME")`);
    return { kind: 'call', from, to: this.name('a service after "→"') };
  }

  private window(): ExpectWindow | undefined {
    if (this.accept('between')) {
      const from = this.duration();
      this.word('and');
      const toToken = this.peek();
      const to = this.duration();
      if (to <= from) throw new ParseError(toToken?.offset ?? this.text.length, 'a window ends after it starts');
      return { from, to };
    }
    if (this.accept('after')) return { from: this.duration(), to: undefined };
    if (this.accept('before')) return { from: 0, to: this.duration() };
    return undefined;
  }

  private end(parsed: ParsedExpectation): ParsedExpectation {
    const extra = this.peek();
    if (extra) throw new ParseError(extra.offset, `unexpected "${extra.text}" after a complete condition`);
    return parsed;
  }

  private operator(): Comparison {
    const token = this.peek();
    const op = token ? OPERATORS[token.text] : undefined;
    if (op === undefined) throw this.expected('a comparison: < <= ≤ > >= ≥ =');
    this.next();
    return op;
  }

  private duration(): Micros {
    const token = this.peek();
    const micros = token ? parseDuration(token.text) : undefined;
    if (!token || micros === undefined || !/[a-zµ]$/.test(token.text) || !Number.isFinite(micros)) throw this.expected('a duration with its unit (500ms, 20s, 2m)');
    this.next();
    return micros;
  }

  private number(): number {
    const token = this.peek();
    if (!token || !/^\d+(\.\d+)?$/.test(token.text)) throw this.expected('a number');
    this.next();
    return Number(token.text);
  }

  private percent(): number {
    const value = this.number();
    if (!this.accept('%')) throw this.expected('"%" after the number');
    if (value > 100) throw new ParseError(this.tokens[this.at - 2]?.offset ?? 0, 'a percentage is at most 100');
    return value;
  }

  private name(what: string): string {
    const token = this.peek();
    if (!token || !/^[A-Za-z0-9]/.test(token.text)) throw this.expected(what);
    this.next();
    return token.text;
  }

  private word(word: string): void {
    if (!this.accept(word)) throw this.expected(`"${word}"`);
  }

  private accept(text: string): Token | undefined {
    const token = this.peek();
    if (token?.text !== text) return undefined;
    this.next();
    return token;
  }

  private expected(what: string): ParseError {
    const token = this.peek();
    return token ? new ParseError(token.offset, `expected ${what}, found "${token.text}"`) : new ParseError(this.text.length, `expected ${what} at the end`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private next(): void {
    this.at += 1;
  }
}

const FORMS = 'p99 of traffic NAME < 500ms, success rate of A → B ≥ 99.5 %, no 503 UH, NAME ejected within 20s of failing, retries ≤ 20 % of requests';

function isFlag(text: string): text is ResponseFlag {
  return (RESPONSE_FLAGS as readonly string[]).includes(text);
}
