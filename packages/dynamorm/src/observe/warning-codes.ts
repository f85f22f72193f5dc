/** The stable code of each best-practice warning, and the name of its switch in `warnings`. */
export const WARNING_CODES = {
  scanIndexCouldServe: 'scan.indexCouldServe',
  hotPartition: 'partition.hot',
  itemNearSizeLimit: 'item.nearSizeLimit',
  filterDiscardsMost: 'filter.discardsMost',
  manySingleGets: 'get.manySingleGets',
  unboundedScan: 'scan.unboundedInHandler',
} as const;

export type WarningName = keyof typeof WARNING_CODES;
export type WarningCode = (typeof WARNING_CODES)[WarningName];
