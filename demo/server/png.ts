/** A real 64×64 PNG (sun over a hill) served for tool-generated files and sample images. */
export const TOOL_PNG: Buffer = Buffer.from(
  [
    'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAIAAAAlC+aJAAAA00lEQVR42u3YuxHCMBCE4a3A9dABjbgSYhdJFWTMkBFgG2NpdXrw',
    'z1x8u19knXW5PboeAQAAAAAAAAAAAAAAoDXA835dTx+AzerlGApubzcovr3XoCrtjQbVau8yAMhobzEAAAAAQPcAPmS8hXiNjnIP',
    'jHCRjXAT81vFDZiWeT0dADZ7NyhRcvUWGNMyK7N6LcY7VK72YYyPOBmrBxjWWbK3L8TYSykIMBq+RJQF5DMOl0cA0gw/bg4CnGKc',
    '2hkKOJQkrKoDMA4AAAAAAAAAAMA/A14A7kbtttK7VQAAAABJRU5ErkJggg==',
  ].join(''),
  'base64',
);

/** The builtin "time" tool icon referenced from /api/meta (Dify serves provider icons as SVG). */
export const TIME_TOOL_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24"><circle cx="12" cy="12" r="10" fill="#2563EB"/><path d="M12 6v6l4 2" stroke="#fff" stroke-width="2" fill="none" stroke-linecap="round"/></svg>`;

/** A few silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz), the body of /api/text-to-audio. */
export const SILENT_MP3: Buffer = (() => {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return Buffer.concat(Array.from({ length: 8 }, () => frame));
})();
