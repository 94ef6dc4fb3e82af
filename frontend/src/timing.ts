// The page's User Timing marks: two moments on the way to a form that the browser's performance
// tools show beside their own, and that `npm run benchmark` reads (infra/local/benchmark.mjs, whose
// copy of the names a test keeps equal to these). Between Kratos's answer and the form lie the
// browser handing the answer to the page, the app's code arriving and starting, and the app's own
// work: the marks tell these apart.
export const TIMING_MARKS = {
  /** The early flow request's answer has been read whole by the page's script (kratos/early.ts). */
  flowAnswer: 'kratos-spa:flow-answer',
  /** The app's code starts: the first of its modules to run (app-start.ts). */
  appStart: 'kratos-spa:app-start',
} as const;

export type TimingMark = (typeof TIMING_MARKS)[keyof typeof TIMING_MARKS];

/** Sets `mark` on `win`'s timeline (a window without the Performance API is left alone). */
export function markTiming(mark: TimingMark, win: Pick<Window, 'performance'> = window): void {
  win.performance?.mark(mark);
}
