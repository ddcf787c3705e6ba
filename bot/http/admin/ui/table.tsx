import type { ComponentChildren } from 'preact';
import type { ListPage, ListQuery } from './list-query.ts';

/** A column: its heading, each row's cell, and the key to sort by when it can be sorted. */
export interface Column<Row> {
  label: string;
  cell: (row: Row) => ComponentChildren;
  sortKey?: string;
  class?: string;
}

interface TableProps<Row> {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  /** Attributes of each row (`data-…` that tests and scripts find rows by). */
  rowAttributes?: (row: Row) => Record<string, string>;
  /** The page of rows shown and how they are sorted, when the list sorts and pages. */
  list?: { query: ListQuery; page: ListPage; href: (query: ListQuery) => string };
  class?: string;
}

const arrow = (query: ListQuery, key: string) => (query.sort === key ? (query.descending ? ' ↓' : ' ↑') : '');

/**
 * A table; on a phone each row reads as a card (every cell labelled by its heading). Sortable
 * headings and the pager are links (GET), so the list is bookmarkable and the back button works.
 */
export function Table<Row>({ columns, rows, rowAttributes, list, class: className }: TableProps<Row>) {
  return (
    <div class="table-wrap">
      <table class={className ? `table ${className}` : 'table'}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" class={column.class}>
                {list && column.sortKey ? (
                  <a
                    href={list.href({
                      ...list.query,
                      sort: column.sortKey,
                      descending: list.query.sort === column.sortKey && !list.query.descending,
                      page: 1,
                    })}
                    aria-sort={
                      list.query.sort === column.sortKey
                        ? list.query.descending
                          ? 'descending'
                          : 'ascending'
                        : undefined
                    }
                  >
                    {column.label}
                    {arrow(list.query, column.sortKey)}
                  </a>
                ) : (
                  column.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr {...(rowAttributes?.(row) ?? {})}>
              {columns.map((column) => (
                <td data-label={column.label} class={column.class}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {list ? <Pager query={list.query} page={list.page} href={list.href} /> : null}
    </div>
  );
}

/** Previous and next page, and where in the list this page is. */
function Pager({ query, page, href }: { query: ListQuery; page: ListPage; href: (query: ListQuery) => string }) {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  if (pages === 1) return null;
  return (
    <nav class="pager" aria-label="分页">
      {query.page > 1 ? <a href={href({ ...query, page: query.page - 1 })}>← 上一页</a> : <span />}
      <span>
        第 {query.page} / {pages} 页，共 {page.total} 条
      </span>
      {query.page < pages ? <a href={href({ ...query, page: query.page + 1 })}>下一页 →</a> : <span />}
    </nav>
  );
}
