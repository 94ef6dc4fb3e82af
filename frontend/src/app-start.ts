// The app's first module to run (main.ts imports it first): marks when the app's code starts, so
// that the time the browser takes to bring the code in is told apart from the time the app takes
// (timing.ts).
import { markTiming, TIMING_MARKS } from './timing';

markTiming(TIMING_MARKS.appStart);
