/** A page's search box (GET `?q=`): what was searched stays in it; `what` says what can be typed. */
export function SearchForm({ action, query, what }: { action: string; query: string; what: string }) {
  return (
    <form class="search" method="get" action={action}>
      <input
        name="q"
        type="search"
        value={query}
        placeholder={`输入${what}`}
        aria-label={what}
        maxLength={40}
        autofocus
      />
      <button type="submit">查找</button>
    </form>
  );
}
