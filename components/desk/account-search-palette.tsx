"use client";
import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import type { AccountSearchHit } from "@/lib/contracts/account-search";
import { accountSearchQuery, useAccountSearch, SEARCH_MAX_CHARS } from "@/lib/client/use-account-search";
import { errorMessage } from "@/components/ui/query-state";
import { accountHref } from "@/components/ui/account-link";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatMarginRatio } from "@/lib/format/percent";

/** Whether a key press lands in something the user types into (then `/` is a character, not the shortcut). */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(target.type);
}

const noSubscription = () => () => {};

/** `text` with the first case-insensitive occurrence of `q` marked. */
function marked(text: string, q: string): ReactNode {
  const at = q ? text.toLowerCase().indexOf(q.toLowerCase()) : -1;
  if (at < 0) return text;
  return <>{text.slice(0, at)}<mark>{text.slice(at, at + q.length)}</mark>{text.slice(at + q.length)}</>;
}

/** The margin ratio of a hit as the desk reads it: unknown figures, a flat account and equity ≤ 0 said in words. */
function ratioText(hit: AccountSearchHit): string {
  const row = hit.row;
  if (!row) return "";
  if (row.status === "unknown") return "ratio unknown";
  if (row.positions === 0) return "flat";
  return `ratio ${formatMarginRatio(row.marginRatio)}`;
}

/**
 * Find any account in a keystroke, on every desk page: Ctrl-K / ⌘-K anywhere, or `/` when not
 * typing in a field, opens a dialog with the focus in its input; results come as you type (by a
 * part of the id or of an owner's e-mail, whatever the table's filters), ↑↓ choose, Enter opens
 * the account's page, Esc closes. The header's button opens it too and shows the shortcut.
 */
export function AccountSearchPalette() {
  const router = useRouter();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const queryClient = useQueryClient();
  // The shortcut as the platform writes it (the server renders the PC's: no platform there).
  const mac = useSyncExternalStore(noSubscription, () => /Mac|iPhone|iPad/.test(navigator.platform), () => false);
  const search = useAccountSearch(text, open);
  const items = search.result?.items ?? [];

  // A new answer starts at its best match.
  const [answerQ, setAnswerQ] = useState<string | null>(null);
  if ((search.result?.q ?? null) !== answerQ) {
    setAnswerQ(search.result?.q ?? null);
    setActive(0);
  }

  const show = useCallback(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (!dialog.open) {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      setOpen(true);
    }
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  const close = useCallback(() => dialogRef.current?.close(), []);

  const openAccount = useCallback((id: string) => {
    dialogRef.current?.close();
    returnFocus.current = null;
    router.push(accountHref(id));
  }, [router]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const k = e.key.toLowerCase();
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && k === "k") {
        e.preventDefault();
        show();
      } else if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target)) {
        e.preventDefault();
        show();
      }
    };
    window.addEventListener("keydown", onKey);
    // Said on the button once the shortcuts listen (before hydration a key press does nothing here).
    const button = buttonRef.current;
    button?.setAttribute("data-shortcut-ready", "true");
    return () => {
      window.removeEventListener("keydown", onKey);
      button?.removeAttribute("data-shortcut-ready");
    };
  }, [show]);

  // Enter before the answer to what is typed has come: ask for exactly that now, and open its best match if it is still what is typed.
  const openBestOf = useCallback(async (q: string) => {
    const answer = await queryClient.fetchQuery(accountSearchQuery(q)).catch(() => null);
    const best = answer?.items[0];
    if (best && inputRef.current?.value.trim() === q && dialogRef.current?.open) openAccount(best.accountId);
  }, [queryClient, openAccount]);

  const onKeyDown = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (items.length > 0) setActive((a) => (a + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length);
    } else if (e.key === "Escape") {
      e.preventDefault();
      close();
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (search.current) {
        const hit = items[Math.min(active, items.length - 1)];
        if (hit) openAccount(hit.accountId);
      } else if (search.q && !search.tooLong) void openBestOf(search.q);
    }
  };

  const result = search.result;
  const message = search.q === "" ? "Type a part of an account id or of an owner's e-mail."
    : search.tooLong ? `At most ${SEARCH_MAX_CHARS} characters.`
      : search.error ? `Search failed: ${errorMessage(search.error)}`
        : !search.current ? "Searching…"
          : items.length === 0 ? `No account matches “${search.q}”.`
            : result?.truncated ? `The best ${items.length}: more accounts match, type more to narrow.`
              : `${items.length} ${items.length === 1 ? "account" : "accounts"}`;
  const activeId = items.length > 0 ? `palette-hit-${Math.min(active, items.length - 1)}` : undefined;

  return (
    <>
      <button ref={buttonRef} type="button" className="find-button" onClick={show} data-testid="find-account-button" aria-haspopup="dialog"
        aria-keyshortcuts="Control+K Meta+K /" title={`Find any account by id or owner e-mail (${mac ? "⌘K" : "Ctrl+K"} or /)`}>
        <span className="find-label">Find account</span>
        <kbd className="find-kbd">{mac ? "⌘K" : "Ctrl K"}</kbd><kbd className="find-kbd">/</kbd>
      </button>
      <dialog ref={dialogRef} className="palette" aria-label="Find an account" data-testid="account-palette"
        onClose={() => {
          setOpen(false);
          returnFocus.current?.focus();
          returnFocus.current = null;
        }}
        onClick={(e) => { if (e.target === dialogRef.current) close(); }}>
        <div className="palette-field">
          <input ref={inputRef} type="text" enterKeyHint="go" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown}
            placeholder="Account id or owner e-mail…" aria-label="Account id or owner e-mail" role="combobox" aria-expanded={items.length > 0}
            aria-controls="palette-results" aria-autocomplete="list" aria-activedescendant={activeId} autoComplete="off" spellCheck={false}
            data-testid="palette-input" />
          <button type="button" className="btn btn-small" onClick={close} aria-label="Close">Esc</button>
        </div>
        <ul id="palette-results" role="listbox" aria-label="Matching accounts" className={`palette-results${search.current ? "" : " is-refreshing"}`}
          data-testid="palette-results" data-current={search.current}>
          {items.map((hit, i) => (
            <li key={hit.accountId} id={`palette-hit-${i}`} role="option" aria-selected={i === active} className="palette-hit"
              data-testid={`palette-hit-${hit.accountId}`} onMouseMove={() => setActive(i)} onClick={() => openAccount(hit.accountId)}>
              <span className="palette-id">{marked(hit.accountId, search.q)}</span>
              <span className="palette-state">
                {hit.row ? <StatusBadge status={hit.row.status} /> : <span className="muted">no data on the venue yet</span>}
                <span className="num" title="margin ratio = MM / equity; 100% = liquidation, higher is worse">{ratioText(hit)}</span>
              </span>
              <span className="palette-owners muted">
                {hit.owners.length === 0 ? "no owner bound" : hit.owners.map((o, j) => <span key={o}>{j > 0 ? ", " : ""}{marked(o, search.q)}</span>)}
              </span>
            </li>
          ))}
        </ul>
        <div className="palette-note">
          <span role="status" data-testid="palette-status">{message}</span>
          <span className="palette-keys muted">↑↓ choose · Enter open · Esc close</span>
        </div>
      </dialog>
    </>
  );
}
