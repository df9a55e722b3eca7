import { mergeLegalBasis } from './catalog';

test('citations of several problems list the articles of one law together, once each', () => {
  expect(mergeLegalBasis(['《工伤保险条例》第二条、第十条、第六十二条', '《中华人民共和国职业病防治法》第二十条、第二十六条', '《工伤保险条例》第二条、第十条。'])).toEqual([
    '《工伤保险条例》第二条、第十条、第六十二条',
    '《中华人民共和国职业病防治法》第二十条、第二十六条',
  ]);
});
