/** What a bench case reports: labelled figures, already formatted, in the order they are printed. */
export type Figures = Record<string, string | number>;

/** Each case runs in its own process (see run.ts). */
export type BenchCase = () => Figures | Promise<Figures>;
