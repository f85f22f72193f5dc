import type { Route } from '../context.js';
import { toJson } from '../values.js';

export const insightRoutes: readonly Route[] = [
  {
    // The plan from the live tables to the models (never applied from here: `dynamorm plan` /
    // `dynamorm apply` do that), and the migrations' status when a directory is configured.
    method: 'GET', path: '/api/migrations', write: false,
    handle: async (ctx) => {
      const plan = await ctx.orm.schema.plan();
      if (ctx.migrations === undefined) return { body: { plan: toJson(plan), status: null } };
      try {
        return { body: { plan: toJson(plan), status: await ctx.orm.migrationStatus({ migrations: ctx.migrations }) } };
      } catch (error) {
        return { body: { plan: toJson(plan), status: null, statusError: error instanceof Error ? error.message : String(error) } };
      }
    },
  },
  {
    method: 'GET', path: '/api/metrics', write: false,
    // Per model and operation (`enableMetrics`), and per access pattern with cost shares and advice (`analytics`).
    handle: async (ctx) => {
      const analytics = ctx.orm.analytics();
      return { body: { metrics: ctx.orm.metrics(), analytics: analytics.report(), markdown: analytics.toMarkdown() } };
    },
  },
];
