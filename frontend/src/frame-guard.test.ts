import { describe, expect, it } from 'vitest';
import { isFramed, showFramedNotice } from './frame-guard';

describe('frame guard', () => {
  it('knows a top-level page from a framed one, and a parent that refuses the comparison counts as framed', () => {
    const self = {} as Window;
    expect(isFramed({ top: self, self } as unknown as Window)).toBe(false);
    expect(isFramed({ top: {}, self } as unknown as Window)).toBe(true);
    const hostile = Object.defineProperty({ self }, 'top', { get: () => { throw new DOMException('denied', 'SecurityError'); } });
    expect(isFramed(hostile as unknown as Window)).toBe(true);
  });

  it('replaces the page with a notice and a link that opens the app in its own window, with no form', () => {
    const main = document.createElement('main');
    main.append(document.createElement('form'));
    showFramedNotice(main, 'https://auth.example.com/login?flow=1');
    expect(main.querySelector('form')).toBeNull();
    const link = main.querySelector<HTMLAnchorElement>('[data-testid="app/framed-open"]')!;
    expect(link.getAttribute('href')).toBe('https://auth.example.com/login?flow=1');
    expect(link.target).toBe('_top');
  });
});
