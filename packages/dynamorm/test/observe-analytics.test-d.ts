// Types of orm.analytics(): the report, its patterns and advice (narrowed by kind), the options.
import { describe, expectTypeOf, test } from 'vitest';
import type { Advice, AnalyticsReport, DynamORM, FilterAdvice, IndexAdvice, PatternReport, Percentiles, ProjectionAdvice, QueryAnalytics } from 'dynamorm';
import { DynamORM as ORM } from 'dynamorm';

declare const orm: DynamORM;

describe('orm.analytics()', () => {
  test('report() is plain data, toMarkdown() a string', () => {
    expectTypeOf(orm.analytics()).toEqualTypeOf<QueryAnalytics>();
    const report = orm.analytics().report();
    expectTypeOf(report).toEqualTypeOf<AnalyticsReport>();
    expectTypeOf(report.patterns).toEqualTypeOf<readonly PatternReport[]>();
    expectTypeOf(report.totals).toEqualTypeOf<{ readonly requests: number; readonly rcu: number; readonly wcu: number; readonly cost: number }>();
    expectTypeOf(report.evicted).toBeNumber();
    expectTypeOf(orm.analytics().toMarkdown()).toBeString();
    expectTypeOf(orm.analytics().reset()).toBeVoid();
  });

  test('a pattern: its parts, numbers and advice', () => {
    const p = orm.analytics().report().patterns[0]!;
    expectTypeOf(p.pattern).toBeString();
    expectTypeOf(p.model).toBeString();
    expectTypeOf(p.index).toEqualTypeOf<string | undefined>();
    expectTypeOf(p.latencyMs).toEqualTypeOf<Percentiles>();
    expectTypeOf(p.costShare).toBeNumber();
    expectTypeOf(p.plan).toEqualTypeOf<readonly string[]>();
    expectTypeOf(p.advice).toEqualTypeOf<readonly Advice[]>();
    // @ts-expect-error the report is read-only
    p.requests = 1;
  });

  test('advice narrows by kind', () => {
    const a = orm.analytics().report().patterns[0]!.advice[0]!;
    expectTypeOf(a.message).toBeString();
    if (a.kind === 'index') {
      expectTypeOf(a).toEqualTypeOf<IndexAdvice>();
      expectTypeOf(a.index).toEqualTypeOf<{ readonly name: string; readonly pk: string; readonly sk: string | undefined }>();
      expectTypeOf(a.definition).toBeString();
    } else if (a.kind === 'projection') {
      expectTypeOf(a).toEqualTypeOf<ProjectionAdvice>();
      expectTypeOf(a.attributes).toEqualTypeOf<readonly string[]>();
    } else {
      expectTypeOf(a).toEqualTypeOf<FilterAdvice>();
      expectTypeOf(a.discarded).toBeNumber();
      expectTypeOf(a.definition).toEqualTypeOf<string | undefined>();
    }
  });

  test('the analytics option: true, false or { maxPatterns }', () => {
    new ORM({ analytics: true });
    new ORM({ analytics: false });
    new ORM({ analytics: { maxPatterns: 50 } });
    // @ts-expect-error maxPatterns is a number
    new ORM({ analytics: { maxPatterns: '50' } });
    // @ts-expect-error no such option
    new ORM({ analytics: { top: 5 } });
  });
});
