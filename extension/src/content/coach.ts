import { isGrammarFinding, type AnalyzeResponse, type Finding } from '../shared/contract';
import type { AnalyzeResult, GrammarResult } from '../shared/messages';
import { disableRule, ignoreFinding, saveSettings } from '../shared/settings';
import { readDraft, type DraftSnapshot } from '../gmail/draft';
import * as gmail from '../gmail/selectors';
import { rangeFor } from '../text/extract';
import { Debouncer } from './debounce';
import { MoveWatch } from './moves';
import { holds, replaceInBody, setSubject } from './edits';
import { clippingAncestors, inputTextBox, intersect, toBox, visibleBox, type Box } from './geometry';
import { place, type Placement, type Room } from './placement';
import { guarded, reportError, timed } from './guard';
import { HighlightLayer, set, type Mark, type MarkBoxes } from './highlights';
import { Panel, type PanelState, type Status } from './panel';
import { ReferrerOverride } from './referrer';
import { PANEL_CSS } from './panel-style';
import { t } from '../shared/i18n';
import { localizeFindings, localizeNote, localizeSuggestion } from '../shared/backend-text';

export const DEBOUNCE_MS = 250;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 5000;
/** The open panel's tallest size; it scrolls inside. */
const PANEL_HEIGHT = 520;
const PILL_SIZE = { width: 120, height: 28 };

export type Analyze = (composeId: string, draft: DraftSnapshot['fields'], signal: AbortSignal) => Promise<AnalyzeResult>;
export type Grammar = (composeId: string, draft: DraftSnapshot['fields'], signal: AbortSignal) => Promise<GrammarResult>;
/** The server answered with part of the draft checked (its deadline passed): ask again. */
const GRAMMAR_RETRY_MS = 1000;

let composeCount = 0;
/** Every coach on the page, so that a panel placed beside its window avoids the others. */
const live = new Set<ComposeCoach>();

/** One frame's layout of one window: what was measured, to be drawn. */
interface Frame {
  origin: { x: number; y: number };
  marks: [HighlightLayer, MarkBoxes | null][];
  /** Undefined: the panel stays where it is (only the marks moved). */
  placement: Placement | null | undefined;
}

/**
 * What a layout has to redo. `scroll`: the text moved inside the body's scroll area, so
 * only the marks move (by the field's own movement, nothing measured in the text); `move`:
 * windows moved or changed size, so the panel is placed again too (the text is measured
 * again only in a field whose size changed); `fresh`: the text changed, measure it all.
 */
type LayoutKind = 'scroll' | 'move' | 'fresh';
const RANK: Record<LayoutKind, number> = { scroll: 1, move: 2, fresh: 3 };

/**
 * Every window that needs laying out is laid out in one animation frame: all of them
 * measure, then all of them draw, so no window's writes force a layout for the next
 * one's reads.
 */
const pendingLayout = new Map<ComposeCoach, LayoutKind>();
let layoutFrame = 0;

function pend(coach: ComposeCoach, kind: LayoutKind): void {
  const now = pendingLayout.get(coach);
  if (!now || RANK[kind] > RANK[now]) pendingLayout.set(coach, kind);
}

function scheduleLayout(coach: ComposeCoach, kind: LayoutKind): void {
  pend(coach, kind);
  if (!layoutFrame) layoutFrame = requestAnimationFrame(runLayout);
}

function flushLayout(): void {
  if (layoutFrame) cancelAnimationFrame(layoutFrame);
  layoutFrame = 0;
  const batch = [...pendingLayout];
  pendingLayout.clear();
  const frames: [ComposeCoach, Frame][] = [];
  for (const [coach, kind] of batch) {
    const frame = coach.measureFrame(kind);
    if (frame) frames.push([coach, frame]);
  }
  for (const [coach, frame] of frames) coach.paintFrame(frame);
}

/**
 * After the browser window resized, an animation frame callback runs before Chromium lays
 * the page out for the new size, so our first read would force that whole layout inside
 * our script. Such a frame's layout is left to the size observer, which Chromium calls
 * right after its layout (the viewport probe always changes size with the window).
 */
let viewportResized = false;

const runLayout = guarded('layout', () => {
  if (viewportResized) {
    viewportResized = false;
    // Should the observer not come (nothing it watches changed), the next frame lays out.
    layoutFrame = pendingLayout.size ? requestAnimationFrame(runLayout) : 0;
    return;
  }
  flushLayout();
});

let pageWatched = false;
let lookTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Once per page: the resize flag above, and Gmail's theme or direction, which may change
 * (Settings, a theme picked) with the page's root attributes or its stylesheets. Those
 * are read again a moment later, off any frame, instead of on a timer.
 */
function watchPage(doc: Document): void {
  if (pageWatched) return;
  pageWatched = true;
  doc.defaultView?.addEventListener('resize', guarded('resize', () => (viewportResized = true)), { passive: true });
  const again = guarded('look', () => {
    lookTimer = undefined;
    for (const coach of live) coach.readLook();
  });
  const changed = new MutationObserver(
    guarded('look', () => {
      lookTimer ??= setTimeout(again, 200);
    }),
  );
  const watched = { attributes: true, attributeFilter: ['class', 'style', 'dir'] };
  changed.observe(doc.documentElement, watched);
  if (doc.body) changed.observe(doc.body, watched);
  if (doc.head) changed.observe(doc.head, { childList: true });
}

/**
 * Sizes (the viewport, a compose window, a body) are watched by one ResizeObserver for
 * every window, and the layout runs inside its callback rather than in the next animation
 * frame. Chromium calls it after it has laid the page out for the new size, so our reads
 * cost no layout of their own, and our writes are drawn in that same frame. An animation
 * frame callback runs before that layout: after a window resize its first read forced
 * the whole page's relayout inside our script, and a size change seen by the observer
 * cost a second frame of layout later.
 */
const sizeOwners = new WeakMap<Element, ComposeCoach>();
let sizeObserver: ResizeObserver | null = null;

function watchSize(coach: ComposeCoach, el: Element): void {
  sizeObserver ??= new ResizeObserver(
    guarded('layout', (entries: ResizeObserverEntry[]) => {
      let windows = false;
      for (const entry of entries) windows = sizeOwners.get(entry.target)?.resizedNow(entry.target) || windows;
      // A window that changed size (minimized, full screen) moves or frees its neighbours.
      if (windows) for (const coach of live) coach.resizedNow(null);
      viewportResized = false;
      flushLayout();
    }),
  );
  sizeOwners.set(el, coach);
  sizeObserver.observe(el);
}

function unwatchSize(el: Element): void {
  sizeOwners.delete(el);
  sizeObserver?.unobserve(el);
}

/**
 * Coaching for one compose window: reads the draft after each pause in typing, asks for
 * findings, and shows them in a panel and as highlights, all inside a shadow root of our
 * own next to the editor (never inside it, so the email stays exactly as typed).
 */
export class ComposeCoach {
  readonly composeId = `compose-${++composeCount}-${Math.random().toString(36).slice(2, 8)}`;
  readonly host: HTMLElement;
  private readonly shadow: ShadowRoot;
  private readonly panel: Panel;
  private readonly bodyMarks: HighlightLayer;
  private readonly subjectMarks: HighlightLayer;
  private readonly attachmentMarks: HighlightLayer;
  private readonly grammarMarks: HighlightLayer;
  private readonly layers: readonly HighlightLayer[];
  private readonly subjectGrammarMarks: HighlightLayer;
  /** LanguageTool's findings for the draft `grammarKey`; shown until a newer answer. */
  private grammarFindings: Finding[] = [];
  private grammarKey = '';
  private grammarRun: AbortController | null = null;
  private grammarTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly debouncer: Debouncer;
  private readonly observer: MutationObserver;
  /** A box as big as the viewport, so that the size observer sees the window resized. */
  private readonly viewportProbe: HTMLDivElement;
  private readonly doc: Document;
  private clippers: Element[] = [];
  private subjectClippers: Element[] = [];
  private windowClippers: Element[] = [];
  private placement: Placement | null = null;
  /** The room the body gives up for the open panel now, and the box that gives it. */
  private room: Room | null = null;
  private roomHolder: HTMLElement | null = null;
  private rtl = false;
  private moves: MoveWatch | null = null;
  /** Bumped by every edit of the body or subject, to spot answers about an older text. */
  private edits = 0;
  /** The draft of the last answer shown; an unchanged draft is not sent again. */
  private lastSent = '';
  private lastResponse: AnalyzeResponse | null = null;
  private retryMs = RETRY_MIN_MS;
  private transientFailures = 0;
  private stopped = false;
  private state: PanelState = { findings: [], suggestions: [], status: [], words: null, subjectEditable: true, pending: true };
  private ranges = new Map<string, Range>();
  /** Who referred the writer, as they typed it in the panel: this window's, memory only. */
  private readonly referrer = new ReferrerOverride();
  private readonly cleanup: (() => void)[] = [];

  constructor(
    readonly parts: gmail.ComposeParts,
    private readonly analyze: Analyze,
    private readonly grammar: Grammar | null = null,
  ) {
    this.doc = parts.body.ownerDocument;
    this.host = this.doc.createElement('intro-coach-panel');
    // Inline styles so that no page stylesheet can move or hide the host; it has no size
    // of its own, and everything inside is positioned over the compose window. No z-index
    // of our own: the host paints at its compose window's level, so another compose
    // window, a Gmail menu or a dialog opened later stays on top of our panel.
    this.host.setAttribute(
      'style',
      'all: initial !important; position: fixed !important; left: 0 !important; top: 0 !important; width: 0 !important; height: 0 !important; z-index: auto !important; display: block !important;',
    );
    this.shadow = this.host.attachShadow({ mode: 'open' });
    const style = this.doc.createElement('style');
    style.textContent = PANEL_CSS;
    this.bodyMarks = new HighlightLayer(this.doc, 'body-marks');
    this.subjectMarks = new HighlightLayer(this.doc, 'subject-marks');
    this.attachmentMarks = new HighlightLayer(this.doc, 'attachment-marks');
    this.grammarMarks = new HighlightLayer(this.doc, 'grammar-marks');
    this.subjectGrammarMarks = new HighlightLayer(this.doc, 'grammar-marks subject-grammar-marks');
    this.layers = [this.bodyMarks, this.subjectMarks, this.attachmentMarks, this.grammarMarks, this.subjectGrammarMarks];
    this.panel = new Panel(this.doc, {
      applySubject: (s) => this.applySubject(s),
      applyReplacement: (f, r) => this.applyReplacement(f, r),
      ignore: (f) => this.dismiss(f, () => ignoreFinding({ rule: f.rule, match: f.match })),
      disableRule: (f) =>
        isGrammarFinding(f)
          ? this.dismiss(f, () => saveSettings({ grammar: false }), isGrammarFinding)
          : this.dismiss(f, () => disableRule(f.rule), (g) => g.rule === f.rule),
      spotlight: (f) => this.spotlight(f),
      resized: () => this.requestLayout('move'),
      escape: () => this.returnToBody(),
      setReferrer: (name) => this.setReferrer(name),
    });
    this.shadow.append(
      style,
      this.bodyMarks.element,
      this.subjectMarks.element,
      this.attachmentMarks.element,
      this.grammarMarks.element,
      this.subjectGrammarMarks.element,
      this.panel.pill,
      this.panel.element,
    );

    this.debouncer = new Debouncer(DEBOUNCE_MS, (signal) => this.run(signal));
    this.observer = new MutationObserver(guarded('mutation', (records) => this.onMutations(records)));
    this.viewportProbe = this.doc.createElement('div');
    this.viewportProbe.className = 'viewport-probe';
    this.viewportProbe.setAttribute('aria-hidden', 'true');
    this.shadow.append(this.viewportProbe);
  }

  start(): void {
    live.add(this);
    const { body, root } = this.parts;
    this.attachHost();
    this.panel.render(this.state);
    // One listener on the whole window: Gmail may swap the subject box for a new one.
    // Capturing, so that a handler of Gmail's stopping the event cannot hide an edit.
    this.listen(root, 'input', guarded('keystroke', (e) => this.onInput(e)), true);
    this.listen(this.doc, 'scroll', guarded('scroll', (e) => this.onScroll(e)), true);
    this.observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-hovercard-id', 'email', 'value'] });
    for (const el of [body, root, this.viewportProbe]) watchSize(this, el);
    this.moves = new MoveWatch(gmail.composeWindow(root), () => this.moved());
    this.cleanup.push(() => this.moves?.stop());
    this.measureClippers();
    this.readLook();
    watchPage(this.doc);
    this.requestLayout();
    // A new window takes room its neighbours may have used.
    for (const other of live) if (other !== this) other.requestLayout('move');
    this.debouncer.now();
  }

  /**
   * The host goes at the end of the compose window (a popup's dialog), else right after
   * the compose container: outside the body's scroll area and any box that clips, so
   * nothing of Gmail's cuts into the panel, and still in the window's Tab order.
   */
  private attachHost(): void {
    const win = gmail.composeWindow(this.parts.root);
    if (win.matches('[role="dialog"]')) win.append(this.host);
    else this.parts.root.after(this.host);
  }

  /** Settings changed (an ignore, a rule toggled, a new backend URL): ask again now. */
  refresh(): void {
    if (this.stopped) return;
    this.lastSent = '';
    this.grammarKey = '';
    this.debouncer.now();
  }

  destroy(): void {
    this.stop();
    this.makeRoom(null);
    this.host.remove();
  }

  /** Stops all work but leaves the panel up, so a last message stays readable. */
  private stop(): void {
    live.delete(this);
    this.stopped = true;
    this.debouncer.cancel();
    this.cancelGrammar();
    this.observer.disconnect();
    for (const el of [this.parts.body, this.parts.root, this.viewportProbe]) unwatchSize(el);
    for (const other of live) other.requestLayout('move');
    pendingLayout.delete(this);
    for (const undo of this.cleanup.splice(0)) undo();
  }

  // --- Reading the draft and asking for findings -------------------------------------

  private listen(target: EventTarget, type: string, handler: (e: Event) => void, capture = false): void {
    target.addEventListener(type, handler, capture);
    this.cleanup.push(() => target.removeEventListener(type, handler, capture));
  }

  private onInput(event: Event): void {
    const target = event.target;
    if (!(target instanceof Node)) return;
    if (this.parts.body.contains(target)) this.onEdit('body');
    else if (target === gmail.subjectInput(this.parts.root)) this.onEdit('subject');
  }

  private onEdit(field: 'body' | 'subject'): void {
    this.edits++;
    // Subject marks are measured from the text as sent; once it changes they would drift.
    if (field === 'subject') {
      this.subjectMarks.set([]);
      this.subjectGrammarMarks.set([]);
    }
    // The grammar answer in flight is about the text before this edit.
    this.cancelGrammar();
    this.debouncer.schedule();
    this.requestLayout();
  }

  /** A referrer typed, cleared or said to be nobody in the panel: asked about like an
   * edit of the draft. */
  private setReferrer(value: string | null): void {
    if (this.stopped) return;
    const changed = value === null ? this.referrer.clear() : value === '' ? this.referrer.nobody() : this.referrer.set(value);
    if (!changed) return;
    this.onEdit('body');
  }

  private onMutations(records: MutationRecord[]): void {
    const { body } = this.parts;
    // Typing in the body is handled by its input events; here we only care about chips
    // (recipients, attachments) coming and going elsewhere in the compose window.
    const elsewhere = records.some((r) => r.target !== this.host && !body.contains(r.target) && !isOurs(r, this.host));
    if (elsewhere && !this.debouncer.pending) this.debouncer.schedule();
  }

  private async run(signal: AbortSignal): Promise<void> {
    try {
      await this.analyzeNow(signal);
    } catch (error) {
      // A bug of ours, not the network (those come back as results): say so instead of
      // leaving the panel pending, and try again on the next edit.
      reportError('analysis', error);
      if (!this.stopped && !signal.aborted) this.showStatus({ tone: 'error', text: t('statusInternal') });
    }
  }

  private async analyzeNow(signal: AbortSignal): Promise<void> {
    if (this.stopped) return;
    const snapshot = timed('extract', () => readDraft(this.parts, this.referrer.current));
    const key = JSON.stringify(snapshot.fields);
    if (key === this.lastSent && this.lastResponse) {
      // Same text, but maybe in new DOM nodes (an edit undone, lines joined): map the
      // findings onto them again instead of asking again.
      this.show(this.lastResponse, snapshot);
      return;
    }
    const edits = this.edits;
    const result = await this.analyze(this.composeId, snapshot.fields, signal);
    if (signal.aborted || this.stopped) return;
    if (this.edits !== edits && result.kind === 'ok') return; // a newer run is already waiting
    this.handle(result, snapshot, key);
  }

  private handle(result: AnalyzeResult, snapshot: DraftSnapshot, key: string): void {
    switch (result.kind) {
      case 'cancelled':
        return;
      case 'ok':
        this.retryMs = RETRY_MIN_MS;
        this.transientFailures = 0;
        this.lastSent = key;
        this.lastResponse = result.response;
        timed('render', () => this.show(result.response, snapshot));
        this.askGrammar(snapshot, key);
        return;
      case 'unreachable':
        this.showStatus({ tone: 'error', text: t('statusUnreachable', result.backendUrl) });
        this.retry();
        return;
      case 'refused':
        this.showStatus({ tone: 'error', text: refusedText(result.status, result.detail, result.backendUrl) });
        if (result.status === 429 && result.retryAfterMs !== undefined) this.debouncer.schedule(Math.max(result.retryAfterMs, this.retryMs));
        else if (result.status === 0 || result.status >= 500 || result.status === 429) this.retry();
        return;
      case 'transient':
        // The worker is starting or restarting: quietly at first, then say so.
        if (++this.transientFailures > 2) this.showStatus({ tone: 'info', text: t('statusRetrying') });
        this.retry();
        return;
      case 'extension-gone':
        this.showStatus({ tone: 'error', text: t('statusGone') });
        this.stop();
        return;
    }
  }

  // --- Grammar: asked for once the advice is shown, never holding it up ----------------

  private askGrammar(snapshot: DraftSnapshot, key: string): void {
    if (!this.grammar || this.stopped || key === this.grammarKey) return;
    this.cancelGrammar();
    const controller = new AbortController();
    this.grammarRun = controller;
    const edits = this.edits;
    void this.grammar(this.composeId, snapshot.fields, controller.signal)
      .then((result) => {
        if (controller.signal.aborted || this.stopped || this.edits !== edits || result.kind !== 'ok') return;
        this.grammarRun = null;
        this.grammarFindings = result.response.findings.filter(isGrammarFinding);
        this.grammarKey = key;
        if (this.lastResponse && this.lastSent === key) timed('render', () => this.show(this.lastResponse!, snapshot));
        if (result.response.checks.grammar === 'timeout') {
          // Part of the draft was checked in time; the rest is on its way to the server's
          // cache, so asking again shortly completes the picture.
          this.grammarKey = '';
          this.grammarTimer = setTimeout(() => this.askGrammar(readDraft(this.parts, this.referrer.current), key), GRAMMAR_RETRY_MS);
        }
      })
      .catch((error: unknown) => reportError('grammar', error));
  }

  private cancelGrammar(): void {
    clearTimeout(this.grammarTimer);
    this.grammarTimer = undefined;
    this.grammarRun?.abort();
    this.grammarRun = null;
  }

  /** The grammar findings whose words are still where they were found. */
  private currentGrammar(snapshot: DraftSnapshot): Finding[] {
    return this.grammarFindings.filter((f) => {
      const text = f.field === 'subject' ? snapshot.fields.subject : f.field === 'body' ? snapshot.body.text : null;
      return text !== null && text.slice(f.start, f.end) === f.match;
    });
  }

  private retry(): void {
    this.debouncer.schedule(this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  // --- Showing findings -----------------------------------------------------------------

  private show(response: AnalyzeResponse, snapshot: DraftSnapshot): void {
    const subject = gmail.subjectInput(this.parts.root);
    const subjectEditable = gmail.isSubjectEditable(subject);
    this.ranges.clear();
    const bodyMarks: Mark[] = [];
    const subjectMarks: Mark[] = [];
    const attachmentMarks: Mark[] = [];
    const grammarMarks: Mark[] = [];
    const subjectGrammarMarks: Mark[] = [];
    const grammar = this.currentGrammar(snapshot);
    const findings = [...response.findings, ...grammar];
    const chips = response.findings.some((f) => f.field === 'attachments') ? gmail.attachmentChips(this.parts.root) : [];
    for (const f of findings) {
      const ofGrammar = isGrammarFinding(f);
      if (f.field === 'body') {
        const range = rangeFor(snapshot.body, f.start, f.end);
        if (!range) continue;
        this.ranges.set(f.id, range);
        (ofGrammar ? grammarMarks : bodyMarks).push({ key: f.id, severity: f.severity, boxes: () => rangeBoxes(range) });
      } else if (f.field === 'subject' && subject && subjectEditable && f.end > f.start) {
        (ofGrammar ? subjectGrammarMarks : subjectMarks).push({ key: f.id, severity: f.severity, boxes: () => boxesOf(inputTextBox(subject, f.start, f.end)) });
      } else if (f.field === 'attachments') {
        const chip = chips.find((c) => c.attachment.filename === (f.attachment ?? f.match))?.chip;
        if (chip) attachmentMarks.push({ key: f.id, severity: f.severity, boxes: () => [toBox(chip.getBoundingClientRect())] });
      }
    }
    this.bodyMarks.set(bodyMarks);
    this.subjectMarks.set(subjectMarks);
    this.attachmentMarks.set(attachmentMarks);
    this.grammarMarks.set(grammarMarks);
    this.subjectGrammarMarks.set(subjectGrammarMarks);
    this.state = {
      findings: localizeFindings(findings, response),
      suggestions: response.subject_suggestions.map(localizeSuggestion),
      status: checksStatus(response),
      words: response.stats?.words ?? null,
      subjectEditable,
      pending: false,
      referrer: { typed: this.referrer.current, found: response.referrer },
    };
    this.panel.render(this.state);
    this.requestLayout();
  }

  private showStatus(status: Status): void {
    this.state = { ...this.state, status: [status], pending: false };
    this.panel.render(this.state);
  }

  private spotlight(findings: readonly Finding[] | null): void {
    const keys = new Set((findings ?? []).map((f) => f.id));
    this.bodyMarks.focus = keys;
    this.subjectMarks.focus = keys;
    this.attachmentMarks.focus = keys;
    this.grammarMarks.focus = keys;
    this.subjectGrammarMarks.focus = keys;
    this.requestLayout('scroll');
  }

  // --- Acting on findings --------------------------------------------------------------

  private applySubject(value: string): void {
    const input = gmail.subjectInput(this.parts.root);
    if (!input) return;
    setSubject(input, value);
  }

  private applyReplacement(f: Finding, replacement: string): void {
    if (f.field === 'subject') {
      const input = gmail.subjectInput(this.parts.root);
      if (input && input.value.slice(f.start, f.end) === f.match) {
        setSubject(input, input.value.slice(0, f.start) + replacement + input.value.slice(f.end));
        return;
      }
    } else {
      const range = this.bodyRange(f);
      if (range && replaceInBody(this.parts.body, range, f.match, replacement)) return;
    }
    // The text moved on since the finding was made; look again rather than edit blindly.
    this.refresh();
  }

  /** The finding's text in the editor now: its live range, or found again at its offsets. */
  private bodyRange(f: Finding): Range | null {
    const range = this.ranges.get(f.id);
    if (range && holds(range, f.match)) return range;
    const snapshot = readDraft(this.parts, this.referrer.current);
    return snapshot.body.text.slice(f.start, f.end) === f.match ? rangeFor(snapshot.body, f.start, f.end) : null;
  }

  /** Hides a finding at once (and those `alsoHide` picks), then saves the choice. */
  private dismiss(f: Finding, save: () => Promise<void>, alsoHide: (g: Finding) => boolean = (g) => g.id === f.id): void {
    this.state = { ...this.state, findings: this.state.findings.filter((g) => !alsoHide(g)) };
    const keep = new Set(this.state.findings.map((g) => g.id));
    this.bodyMarks.retain(keep);
    this.subjectMarks.retain(keep);
    this.attachmentMarks.retain(keep);
    this.grammarMarks.retain(keep);
    this.subjectGrammarMarks.retain(keep);
    this.grammarFindings = this.grammarFindings.filter((g) => keep.has(g.id));
    this.panel.render(this.state);
    save().catch((error: unknown) => {
      reportError('saving settings', error);
      this.showStatus({ tone: 'error', text: t('statusSaveFailed') });
    });
  }

  // --- Positioning ---------------------------------------------------------------------

  private measureClippers(): void {
    this.clippers = clippingAncestors(this.parts.body);
    const subject = gmail.subjectInput(this.parts.root);
    this.subjectClippers = subject ? clippingAncestors(subject) : [];
    this.windowClippers = clippingAncestors(gmail.composeWindow(this.parts.root));
  }

  /**
   * The size observer saw `el` change (null: another window did): laid out in the
   * observer's own callback. True when it was this window or its body.
   */
  resizedNow(el: Element | null): boolean {
    if (this.stopped) return false;
    pend(this, 'move');
    if (!el || el === this.viewportProbe) return false;
    // A window or body that changed size may have gained or lost a scroll area.
    this.measureClippers();
    return true;
  }

  private requestLayout(kind: LayoutKind = 'fresh'): void {
    if (this.stopped) return;
    scheduleLayout(this, kind);
  }

  /**
   * A scroll anywhere on the page: the body's own scroll area moves only our marks; an
   * area holding the whole window (the conversation, the page) moves everything; any
   * other (another window's body, the inbox list) moves nothing of ours.
   */
  private onScroll(event: Event): void {
    const target = event.target;
    if (target === this.doc || !(target instanceof Node)) return this.requestLayout('move');
    if (target.contains(gmail.composeWindow(this.parts.root))) this.requestLayout('move');
    else if (this.clippers.includes(target as Element) || this.subjectClippers.includes(target as Element)) this.requestLayout('scroll');
  }

  /** The window moved without changing size (the move watcher saw it). */
  private moved(): void {
    this.requestLayout('move');
    // Its neighbours may have to make room (or may have it now).
    for (const other of live) if (other !== this) other.requestLayout('move');
  }

  /** Gmail's theme and direction, read when the page's look may have changed. */
  readLook(): void {
    this.panel.setTheme(isDark(this.parts.body));
    this.rtl = getComputedStyle(this.parts.root).direction === 'rtl';
  }

  /** The visible part of this compose window, or null when it is minimized or closed. */
  windowBox(): Box | null {
    return visibleBox(gmail.composeWindow(this.parts.root), this.windowClippers);
  }

  /** Measures this window and its marks, and decides the panel's place: reads only. */
  measureFrame(kind: LayoutKind): Frame | null {
    const { body, root } = this.parts;
    if (this.stopped || !body.isConnected) return null;
    if (!this.host.isConnected) this.attachHost();
    if (kind === 'fresh') for (const layer of this.layers) layer.invalidate();
    // Our 0,0 is the viewport's unless a transformed ancestor made itself the origin.
    const hostBox = this.host.getBoundingClientRect();
    const origin = { x: hostBox.left, y: hostBox.top };
    const bodyBox = toBox(body.getBoundingClientRect());
    const area = visibleBox(body, this.clippers, bodyBox);
    const subject = this.subjectMarks.size || this.subjectGrammarMarks.size ? gmail.subjectInput(root) : null;
    const subjectBox = subject ? toBox(subject.getBoundingClientRect()) : null;
    const subjectArea = subject && subjectBox ? visibleBox(subject, this.subjectClippers, subjectBox) : null;
    let attachments: MarkBoxes | null = null;
    if (this.attachmentMarks.size) {
      const win = gmail.composeWindow(root);
      const winBox = toBox(win.getBoundingClientRect());
      attachments = this.attachmentMarks.measure(visibleBox(win, this.windowClippers, winBox), winBox);
    }
    return {
      origin,
      marks: [
        [this.bodyMarks, this.bodyMarks.measure(area, bodyBox)],
        [this.subjectMarks, this.subjectMarks.measure(subjectArea, subjectBox)],
        [this.attachmentMarks, attachments],
        [this.grammarMarks, this.grammarMarks.measure(area, bodyBox)],
        [this.subjectGrammarMarks, this.subjectGrammarMarks.measure(subjectArea, subjectBox)],
      ],
      placement: kind === 'scroll' ? undefined : this.measurePlacement(area),
    };
  }

  /** Draws what `measureFrame` found: writes only. */
  paintFrame(frame: Frame): void {
    for (const [layer, measured] of frame.marks) layer.paint(measured, frame.origin);
    if (frame.placement !== undefined) this.paintPanel(frame.placement, frame.origin);
  }

  private layoutNow(): void {
    pendingLayout.delete(this);
    const frame = this.measureFrame('fresh');
    if (frame) this.paintFrame(frame);
  }

  /** Beside the window when a column there is free, else a pill on the window's edge. */
  private measurePlacement(area: Box | null): Placement | null {
    const win = area ? this.windowBox() : null;
    const view = this.doc.defaultView ?? window;
    const viewport = { width: view.innerWidth, height: view.innerHeight };
    this.moves?.arm(area ? toBox(gmail.composeWindow(this.parts.root).getBoundingClientRect()) : null, viewport);
    if (!area || !win || area.bottom - area.top < 24 || area.right - area.left < 120) return null;
    const bodies: Box[] = [];
    const heads: Box[] = [];
    const windows: Box[] = [];
    for (const other of live) {
      if (other === this) continue;
      const w = other.windowBox();
      if (!w) continue;
      windows.push(w);
      const b = intersect(toBox(other.parts.body.getBoundingClientRect()), w);
      if (!b) continue;
      bodies.push(b);
      // Its title bar, recipients and subject: everything above its body.
      if (b.top > w.top) heads.push({ left: w.left, top: w.top, right: w.right, bottom: b.top });
    }
    return place({
      viewport,
      compose: win,
      body: area,
      bodies,
      heads,
      windows,
      panelHeight: PANEL_HEIGHT,
      pill: PILL_SIZE,
      open: this.panel.isOpen,
      rtl: this.rtl,
      titled: gmail.composeWindow(this.parts.root).matches('[role="dialog"]'),
      room: this.room,
    });
  }

  private paintPanel(p: Placement | null, origin: { x: number; y: number }): void {
    const el = this.panel.element;
    const pill = this.panel.pill;
    this.placement = p;
    this.makeRoom(p?.room ?? null);
    if (!p) {
      if (!el.hidden) el.hidden = true;
      if (!pill.hidden) pill.hidden = true;
      return;
    }
    this.panel.setMode(p.mode);
    if (pill.hidden !== !p.pill) pill.hidden = !p.pill;
    // Moved by transforms: a new position costs Chromium no layout, only painting.
    if (p.pill) set(pill.style, 'transform', `translate(${p.pill.left - origin.x}px, ${p.pill.top - origin.y}px)`);
    const box = p.panel;
    if (!box) {
      if (!el.hidden) el.hidden = true;
      return;
    }
    if (el.hidden) el.hidden = false;
    set(el.style, 'width', `${box.right - box.left}px`);
    set(el.style, 'maxHeight', `${box.bottom - box.top}px`);
    // Its bottom right corner is at the origin (see the stylesheet): it grows up with its
    // content, and collapsed (as wide as its header) it keeps its right edge in place.
    set(el.style, 'transform', `translate(${box.right - origin.x}px, ${box.bottom - origin.y}px)`);
  }

  /**
   * Makes (or gives back) the room the body gives up for an open panel, as a margin on
   * the body's own box (its scroll area): Gmail's layout moves the text, nothing of the
   * email changes, and the size observer lays the marks out again once the text moved.
   */
  private makeRoom(room: Room | null): void {
    const same = room?.side === this.room?.side && room?.size === this.room?.size;
    if (same) return;
    const holder = this.roomHolder;
    if (holder && this.room) holder.style.removeProperty(this.room.side === 'end' ? 'margin-inline-end' : 'margin-block-end');
    this.room = room;
    this.roomHolder = null;
    const target = this.parts.body.parentElement;
    if (!room || !target) return;
    target.style.setProperty(room.side === 'end' ? 'margin-inline-end' : 'margin-block-end', `${room.size}px`, 'important');
    this.roomHolder = target;
  }

  /** Moves keyboard focus into the panel (the shortcut), opening it from the pill. */
  focusPanel(): void {
    if (this.stopped) return;
    if (this.placement?.mode === 'docked') this.panel.open();
    else if (this.panel.isCollapsed) this.panel.setCollapsed(false);
    this.layoutNow();
    this.panel.focus();
  }


  /** Escape in the panel: back to the message, where the caret was. */
  private returnToBody(): void {
    if (this.placement?.mode === 'docked') this.panel.close();
    this.parts.body.focus();
    this.requestLayout();
  }

  /** True when this window holds the keyboard focus (or its panel does). */
  hasFocus(): boolean {
    const active = this.doc.activeElement;
    return !!active && (gmail.composeWindow(this.parts.root).contains(active) || active === this.host);
  }
}

/** Gmail's dark themes paint the compose window dark; the panel follows. */
function isDark(el: Element): boolean {
  const view = el.ownerDocument.defaultView;
  if (!view) return false;
  for (let a: Element | null = el; a; a = a.parentElement) {
    const bg = view.getComputedStyle(a).backgroundColor;
    const m = /rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/.exec(bg);
    if (!m) continue;
    if (m[4] !== undefined && Number(m[4]) < 0.5) continue;
    const [r, g, b] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 110;
  }
  return false;
}

function isOurs(record: MutationRecord, host: Element): boolean {
  // An attribute record has no nodes, and is never ours: it is a recipient chip changing.
  const nodes = [...record.addedNodes, ...record.removedNodes];
  return nodes.length > 0 && nodes.every((n) => n === host);
}

function rangeBoxes(range: Range): Box[] {
  return [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0).map(toBox);
}

function boxesOf(box: Box | null): Box[] {
  return box ? [box] : [];
}

function checksStatus(response: AnalyzeResponse): Status[] {
  const status: Status[] = [];
  if (response.checks.grammar === 'unavailable') {
    status.push({ tone: 'info', text: t('statusGrammarSkipped') });
  }
  if (response.checks.gmail === 'unavailable') {
    status.push({ tone: 'info', text: t('statusGmailSkipped') });
  }
  for (const note of response.checks.notes ?? []) status.push({ tone: 'info', text: localizeNote(note) });
  return status;
}

function refusedText(status: number, detail: string, url: string): string {
  if (status === 413) return t('statusTooLong');
  if (status === 0) return t('statusInternal');
  return t('statusRefused', url, `${status}${detail ? `: ${detail}` : ''}`);
}
