// Rendezvous browser client: one ES module, no dependencies, no build step.
//
// Speaks the seed protocol exactly: it opens /websocket/?finger=<ID> on the page's own host and
// sends {to, from, type, sdp}. On top of that it turns server error frames and close codes into
// typed events with plain-language reasons, and reconnects by itself after a drop. It also sends a
// random per-tab session key, so that a reloaded page takes its ID back from its own old socket
// at once (the old one is closed with 4410), and a grant (`token`) when the page has one. Peers
// using the seed's raw WebSocket code interoperate with it unchanged. IceServers fetches the ICE
// servers (with short-lived TURN credentials when the server mints them) and fetches them again
// before they expire. API: docs/BROWSER.md.

/** What each close code means to a user, and whether connecting again can help. */
export const CLOSE_REASONS = Object.freeze({
  1000: { reason: 'closed normally', reconnect: false },
  1001: { reason: 'server going away (restart or shutdown)', reconnect: true },
  1002: { reason: 'protocol error: a frame broke the WebSocket protocol', reconnect: false },
  1003: { reason: 'binary messages are not supported', reconnect: false },
  1006: { reason: 'connection lost', reconnect: true },
  1007: { reason: 'message was not valid UTF-8', reconnect: false },
  1008: { reason: 'refused by server policy', reconnect: false },
  1009: { reason: 'message too big', reconnect: false },
  1011: { reason: 'server error', reconnect: true },
  1013: { reason: 'server busy, try again later', reconnect: true },
  4401: { reason: 'not allowed: the server needs a valid grant (token) for this ID', reconnect: false },
  4408: { reason: 'idle timeout: nothing heard from this browser', reconnect: true },
  4409: { reason: 'ID in use: another connection holds this ID', reconnect: false },
  4410: { reason: 'replaced: another tab or device now uses this ID', reconnect: false },
});

/** What each 4401 reason means; the server names the cause in the close frame. */
export const GRANT_REASONS = Object.freeze({
  'token missing': 'not allowed: this server needs a grant (token) and none was sent',
  'token invalid': 'not allowed: the grant (token) is not valid here',
  'token expired': 'not allowed: the grant (token) has expired',
  'token for another id': 'not allowed: the grant (token) is for another ID',
});

/**
 * Explains a close code (and, for 4401, the server's reason); unknown codes are retried, except
 * 4400–4499 (the client's own fault).
 */
export function describeClose(code, serverReason = '') {
  if (code === 4401 && GRANT_REASONS[serverReason]) {
    return { code, reason: GRANT_REASONS[serverReason], reconnect: false };
  }
  const known = CLOSE_REASONS[code];
  if (known) return { code, ...known };
  const clientFault = code >= 4400 && code < 4500;
  return { code, reason: `closed with code ${code}`, reconnect: !clientFault };
}

/** The server's own ID rule: 1–256 bytes of UTF-8 and no control characters. */
export function validateId(id) {
  if (typeof id !== 'string' || id.length === 0) return 'an ID cannot be empty';
  if (new TextEncoder().encode(id).length > 256) return 'an ID is at most 256 bytes';
  if (/[\u0000-\u001f\u007f-\u009f]/.test(id)) return 'an ID cannot contain control characters';
  return null;
}

const SESSION_KEY_ITEM = 'rendezvous.session-key';
const SESSION_KEY_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;

/** 256 random bits from crypto.getRandomValues, base64url without padding (43 characters). */
export function randomSessionKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * This tab's session key: kept in sessionStorage, so it survives a reload of the tab but no other
 * tab has it (a duplicated tab gets a copy, and then takes the ID over). Without storage (blocked
 * by the browser) the key lasts as long as the page.
 */
export function tabSessionKey() {
  try {
    let key = sessionStorage.getItem(SESSION_KEY_ITEM);
    if (!SESSION_KEY_PATTERN.test(key ?? '')) {
      key = randomSessionKey();
      sessionStorage.setItem(SESSION_KEY_ITEM, key);
    }
    return key;
  } catch {
    return (tabSessionKey.fallback ??= randomSessionKey());
  }
}

/** A relayed message from a peer: `message` is the parsed JSON, `data` the exact text received. */
export class SignalEvent extends Event {
  constructor(type, message, data) {
    super(type);
    this.message = message;
    this.data = data;
    this.peer = typeof message.from === 'string' ? message.from : null;
    this.signalType = message.type;
    this.size = new TextEncoder().encode(data).length;
  }
}

/**
 * A server error frame: `error` is the code (peer-unavailable, bad-json, missing-to, from-mismatch,
 * not-allowed, rate-limited, cluster-unavailable, and with the mailbox on expired and mailbox-full).
 */
export class ServerErrorEvent extends Event {
  constructor(type, frame) {
    super(type);
    this.frame = frame;
    this.error = frame.error;
    this.detail = frame.detail ?? '';
    this.peer = frame.peer ?? null;
  }
}

/**
 * The server holds a message for `peer` until that ID connects (its mailbox, `--mailbox-ttl`); it
 * is delivered first when the peer connects, or an 'expired' server error (with the same `peer`)
 * follows once the TTL passes. A full mailbox answers 'mailbox-full' instead.
 */
export class HeldEvent extends Event {
  constructor(frame) {
    super('held');
    this.frame = frame;
    this.peer = frame.peer;
  }
}

/** A newer socket (another tab or device with this tab's session key, or with a grant for the ID) took the ID. */
export class ReplacedEvent extends Event {
  constructor() {
    super('replaced');
    this.code = 4410;
  }
}

/** The server refused the grant (4401): `serverReason` is `token missing`, `token invalid`, `token expired` or `token for another id`. */
export class UnauthorizedEvent extends Event {
  constructor(serverReason, reason) {
    super('unauthorized');
    this.code = 4401;
    this.serverReason = serverReason;
    this.reason = reason;
  }
}

/** The socket closed; `willReconnect` and `delayMs` say what happens next. */
export class CloseEvent extends Event {
  constructor(code, serverReason, explained, willReconnect, delayMs) {
    super('close');
    this.code = code;
    this.serverReason = serverReason;
    this.reason = explained.reason;
    this.willReconnect = willReconnect;
    this.delayMs = delayMs;
  }
}

const DEFAULTS = Object.freeze({
  url: null,
  sessionKey: undefined,
  token: null,
  initialDelayMs: 500,
  maxDelayMs: 15000,
  stableAfterMs: 5000,
  autoConnect: true,
});

/**
 * A signaling connection bound to one ID.
 *
 * Events: 'statechange', 'open', 'message' (every peer message) and one named after its type
 * ('offer', 'answer', 'candidate', …), 'sent', 'server-error' plus one per error code
 * ('peer-unavailable', 'not-allowed', 'expired', 'mailbox-full', …), 'held' (the server's mailbox
 * holds a message until its peer connects), 'mixup', 'close', 'replaced' (4410), 'unauthorized'
 * (4401), 'reconnecting'.
 */
export class RendezvousClient extends EventTarget {
  #options;
  #socket = null;
  #state = 'idle';
  #attempt = 0;
  #timer = null;
  #openedAt = 0;
  #lastClose = null;
  #sessionKey = null;
  #connecting = 0;
  #onOnline;

  constructor(id, options = {}) {
    super();
    const problem = validateId(id);
    if (problem) throw new TypeError(problem);
    // Set here, not as a field initializer: Safari before 16 can throw ReferenceError on
    // parentheses in one (WebKit bug 236843).
    this.#onOnline = () => this.reconnectNow();
    this.id = id;
    this.#options = { ...DEFAULTS, ...options };
    const key = this.#options.sessionKey;
    if (key === undefined) this.#sessionKey = tabSessionKey();
    else if (key !== null && key !== false) {
      if (!SESSION_KEY_PATTERN.test(key)) throw new TypeError('a session key is 22–128 characters of A-Z a-z 0-9 - _');
      this.#sessionKey = key;
    }
    if (this.#options.autoConnect) queueMicrotask(() => this.#state === 'idle' && this.connect());
  }

  /** 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed' */
  get state() { return this.#state; }

  /** Why the last socket closed ({code, reason, reconnect}), or null. */
  get lastClose() { return this.#lastClose; }

  /** The WebSocket URL, with the session key but without the grant (added at connect time, never kept). */
  get url() {
    let url = this.#options.url;
    if (!url) {
      const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      url = `${scheme}//${location.host}/websocket/?finger=${encodeURIComponent(this.id)}`;
    }
    return this.#sessionKey ? `${url}${url.includes('?') ? '&' : '?'}session=${this.#sessionKey}` : url;
  }

  connect() {
    clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#socket || this.#connecting) return;
    globalThis.addEventListener?.('online', this.#onOnline);
    this.#setState(this.#attempt === 0 ? 'connecting' : 'reconnecting');
    const { token } = this.#options;
    if (typeof token !== 'function') {
      this.#open(token);
      return;
    }
    // A function is asked before every connect, so that a reconnect presents a fresh grant.
    const attempt = ++this.#connecting;
    Promise.resolve().then(token).then(
      (fresh) => {
        if (this.#connecting !== attempt) return;
        this.#connecting = 0;
        this.#open(fresh);
      },
      () => {
        if (this.#connecting !== attempt) return;
        this.#connecting = 0;
        this.#closed(null, 4401, 'token missing');
      });
  }

  #open(token) {
    if (this.#state === 'closed') return;
    const base = this.url;
    const url = token ? `${base}${base.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : base;
    const socket = new WebSocket(url);
    this.#socket = socket;
    socket.onopen = () => {
      this.#openedAt = performance.now();
      this.#lastClose = null;
      this.#setState('open');
      this.dispatchEvent(new Event('open'));
    };
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = (event) => this.#closed(socket, event.code, event.reason);
  }

  /**
   * Sends {to, from, type, sdp} exactly as the seed client does. Returns the byte size sent, or
   * throws when not connected (signaling is not queued: stale offers are worse than none).
   */
  send(to, type, sdp) {
    if (this.#state !== 'open') throw new Error(`not connected (${this.#state})`);
    const message = { to, from: this.id, type, sdp };
    const data = JSON.stringify(message);
    this.#socket.send(data);
    const sent = new SignalEvent('sent', message, data);
    this.dispatchEvent(sent);
    return sent.size;
  }

  /** Closes for good: no reconnect. */
  close() {
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#connecting = 0;
    globalThis.removeEventListener?.('online', this.#onOnline);
    const socket = this.#socket;
    this.#socket = null;
    this.#setState('closed');
    if (socket) {
      socket.onclose = null;
      socket.close(1000, 'bye');
    }
  }

  /** Skips the remaining backoff (e.g. when the browser comes back online). */
  reconnectNow() {
    if (this.#timer) this.connect();
  }

  #receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return; // the server only relays JSON objects, so this cannot come from a peer
    }
    if (message === null || typeof message !== 'object') return;
    if (message.to !== this.id) {
      this.dispatchEvent(new SignalEvent('mixup', message, data));
      return;
    }
    if (message.type === 'error' && typeof message.error === 'string' && message.from === undefined) {
      this.dispatchEvent(new ServerErrorEvent('server-error', message));
      this.dispatchEvent(new ServerErrorEvent(message.error, message));
      return;
    }
    if (message.type === 'held' && typeof message.peer === 'string' && message.from === undefined) {
      this.dispatchEvent(new HeldEvent(message));
      return;
    }
    this.dispatchEvent(new SignalEvent('message', message, data));
    if (typeof message.type === 'string') this.dispatchEvent(new SignalEvent(message.type, message, data));
  }

  #closed(socket, code, serverReason) {
    if (socket !== this.#socket) return;
    this.#socket = null;
    const explained = describeClose(code, serverReason);
    this.#lastClose = explained;
    if (this.#openedAt && performance.now() - this.#openedAt >= this.#options.stableAfterMs) this.#attempt = 0;
    this.#openedAt = 0;
    const delayMs = explained.reconnect ? this.#backoff() : null;
    this.dispatchEvent(new CloseEvent(code, serverReason, explained, explained.reconnect, delayMs));
    if (code === 4410) this.dispatchEvent(new ReplacedEvent());
    if (code === 4401) this.dispatchEvent(new UnauthorizedEvent(serverReason, explained.reason));
    if (!explained.reconnect) {
      globalThis.removeEventListener?.('online', this.#onOnline);
      this.#setState('closed');
      return;
    }
    this.#attempt++;
    this.#setState('reconnecting');
    this.#timer = setTimeout(() => this.connect(), delayMs);
    const event = new Event('reconnecting');
    event.attempt = this.#attempt;
    event.delayMs = delayMs;
    this.dispatchEvent(event);
  }

  /** Exponential backoff with jitter in [half, full] so that a restarted server is not stampeded. */
  #backoff() {
    const { initialDelayMs, maxDelayMs } = this.#options;
    const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(this.#attempt, 30));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  #setState(state) {
    if (state === this.#state) return;
    this.#state = state;
    const event = new Event('statechange');
    event.state = state;
    this.dispatchEvent(event);
  }
}

const ICE_DEFAULTS = Object.freeze({
  base: '',
  token: null,
  refreshAt: 0.8,
  retryDelayMs: 10000,
});

/**
 * The ICE servers for one ID. `/config.json` says whether the server mints TURN credentials; if it
 * does, they come from `/ice-servers?finger=<ID>` (with the grant as `Authorization: Bearer` when
 * `token` is given), and are fetched again once `refreshAt` of their lifetime has passed, so a
 * connection made later still gets valid ones. Otherwise the static servers from `/config.json`.
 *
 * Events: 'update' (`iceServers`), 'error' (`error`: a failed refresh, retried after
 * `retryDelayMs`).
 */
export class IceServers extends EventTarget {
  #options;
  #timer = null;
  #current = [];
  #stopped = false;
  #expiresAt = null;

  constructor(id, options = {}) {
    super();
    this.id = id;
    this.#options = { ...ICE_DEFAULTS, ...options };
  }

  /** The RTCIceServer list to use now. */
  get current() { return this.#current; }

  /** When the TURN credentials expire (ms since the epoch by this clock), or null without TURN. */
  get expiresAt() { return this.#expiresAt; }

  /** Fetches now (and schedules the next fetch); resolves with the servers. */
  async load() {
    clearTimeout(this.#timer);
    this.#timer = null;
    const { base, token, refreshAt, retryDelayMs } = this.#options;
    try {
      const config = await (await fetch(`${base}/config.json`, { cache: 'no-store' })).json();
      if (!config.turn) {
        this.#apply(config.iceServers ?? [], null);
        return this.#current;
      }
      // The same grant as the socket's (a string, or a function asked each time, as RendezvousClient takes).
      const grant = typeof token === 'function' ? await token() : token;
      const headers = grant ? { Authorization: `Bearer ${grant}` } : {};
      const response = await fetch(`${base}/ice-servers?finger=${encodeURIComponent(this.id)}`,
        { headers, cache: 'no-store' });
      if (!response.ok) throw new Error(`ice servers: HTTP ${response.status}`);
      const body = await response.json();
      const lifetimeMs = body.ttl * 1000;
      this.#apply(body.iceServers, Date.now() + lifetimeMs);
      this.#schedule(lifetimeMs * refreshAt);
      return this.#current;
    } catch (error) {
      const event = new Event('error');
      event.error = error;
      this.dispatchEvent(event);
      this.#schedule(retryDelayMs);
      throw error;
    }
  }

  /** Keeps `pc` on the fresh servers (setConfiguration); returns a function that stops it. */
  attach(pc) {
    const update = () => {
      if (pc.signalingState === 'closed') return;
      pc.setConfiguration({ ...pc.getConfiguration(), iceServers: this.#current });
    };
    this.addEventListener('update', update);
    return () => this.removeEventListener('update', update);
  }

  /** No more fetches. */
  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = null;
  }

  #apply(iceServers, expiresAt) {
    this.#current = iceServers;
    this.#expiresAt = expiresAt;
    const event = new Event('update');
    event.iceServers = iceServers;
    this.dispatchEvent(event);
  }

  #schedule(delayMs) {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => this.load().catch(() => {}), delayMs);
  }
}
