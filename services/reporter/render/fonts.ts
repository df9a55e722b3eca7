/** The fonts GB/T 9704-2012 names, and the free CJK faces that stand in for them. */
// The standard's fonts by their Windows names, so the DOCX is right where they are installed.
// Where they are not (Linux, LibreOffice), fontTable.xml names the free Noto CJK faces as
// alternatives and the PDF conversion maps them through fontconfig (libreoffice.ts).
export const FONTS = {
  xiaobiaosong: '方正小标宋简体', // 发文机关标志, 标题 (Noto Serif CJK SC Bold stands in)
  fangsong: '仿宋_GB2312', // 正文, 主送, 落款 (Noto Serif CJK SC)
  heiti: '黑体', // 一级标题 一、二、 (Noto Sans CJK SC)
  kaiti: '楷体_GB2312', // 二级标题 （一） (Noto Serif CJK SC)
  songti: '宋体', // 页码 (Noto Serif CJK SC)
} as const;
export const FONT_FALLBACKS: Record<string, { alt: string; family: 'roman' | 'modern' | 'swiss' }> = {
  [FONTS.xiaobiaosong]: { alt: 'Noto Serif CJK SC', family: 'roman' },
  [FONTS.fangsong]: { alt: 'Noto Serif CJK SC', family: 'modern' },
  [FONTS.heiti]: { alt: 'Noto Sans CJK SC', family: 'swiss' },
  [FONTS.kaiti]: { alt: 'Noto Serif CJK SC', family: 'modern' },
  [FONTS.songti]: { alt: 'Noto Serif CJK SC', family: 'roman' },
};
