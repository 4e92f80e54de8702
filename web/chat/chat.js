/*
 * Ombuds web chat page (/chat): starts or resumes a session, sends what the customer types (each message with its
 * own id, resent until stored: the server keeps it once), reads the conversation as Server-Sent Events over fetch
 * (the token goes in a header, never in the URL), shows each message once, acknowledges what it showed, and
 * reconnects with the last event id after a drop. Text is rendered with textContent only. No build step.
 */
(() => {
  'use strict';

  const TEXTS = {
    en: {
      title: 'Complaints chat',
      intro: 'Tell us what happened. We will record your complaint and give you a reference number.',
      transcript: 'Conversation',
      label: 'Your message',
      placeholder: 'Type your message',
      hint: 'Press Enter to send, Shift+Enter for a new line. Never send your card number, PIN or passwords.',
      send: 'Send',
      close: 'Close chat',
      typing: 'The bank is typing…',
      connecting: 'Connecting…',
      reconnecting: 'Connection lost. Reconnecting…',
      expired: 'This chat session has ended.',
      restart: 'Start a new chat',
      sending: 'Sending…',
      retrying: 'Not sent yet, trying again…',
      failed: 'Not sent',
      tooFast: 'You are sending quickly; your message will go in a moment.',
      suggestions: 'Suggested answers',
      you: 'You',
      bot: 'Bank',
      staff: 'Staff',
      unavailable: 'The chat is unavailable right now. Please try again later.',
    },
    zh: {
      title: '在线投诉',
      intro: '请告诉我们发生了什么。我们会登记您的投诉并告诉您投诉编号。',
      transcript: '对话记录',
      label: '您的消息',
      placeholder: '请输入消息',
      hint: '按回车发送，Shift+回车换行。请勿发送卡号、密码或验证码。',
      send: '发送',
      close: '关闭对话',
      typing: '客服正在输入…',
      connecting: '正在连接…',
      reconnecting: '连接已断开，正在重新连接…',
      expired: '本次对话已结束。',
      restart: '开始新的对话',
      sending: '发送中…',
      retrying: '尚未发送，正在重试…',
      failed: '未发送',
      tooFast: '您发送得太快了，消息稍后会发出。',
      suggestions: '建议的回答',
      you: '您',
      bot: '银行',
      staff: '客服人员',
      unavailable: '在线投诉暂时无法使用，请稍后再试。',
    },
  };

  const script = document.currentScript;
  // This file is /chat/assets/chat.js: the API is beside the page, one level up (works behind a path prefix too).
  const base = new URL('../', script && script.src ? script.src : window.location.href);
  const api = (path) => new URL(path, base).toString();
  const params = new URLSearchParams(window.location.search);
  const requested = (params.get('lang') || navigator.language || 'en').toLowerCase();
  const lang = requested.startsWith('zh') ? 'zh' : 'en';
  const locale = params.get('lang') ? (lang === 'zh' ? 'zh-CN' : 'en') : navigator.language || lang;
  const text = TEXTS[lang];
  const embedded = params.get('embed') === '1';
  const STORAGE_KEY = 'ombuds.webchat.session';

  const element = (id) => document.getElementById(id);
  const transcript = element('transcript');
  const form = element('composer');
  const input = element('message');
  const sendButton = element('send');
  const statusLine = element('chat-status');
  const typingLine = element('typing');

  let session = null;
  let lastEventId = '';
  let stopped = false;
  let currentStream = null;
  let typingTimer = 0;
  const shown = new Set();
  const pending = new Map();
  const unacknowledged = new Set();
  // The latest suggestions' labels by value: a tapped one comes back (history, other tabs) as its value.
  let offeredLabels = new Map();
  let acknowledging = false;
  let sendQueue = Promise.resolve();

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function newId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return `m-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  }

  function applyTexts() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    const title = params.get('title') || text.title;
    document.title = title;
    element('chat-title').textContent = title;
    element('chat-intro').textContent = text.intro;
    element('message-label').textContent = text.label;
    element('message-hint').textContent = text.hint;
    element('typing-text').textContent = text.typing;
    element('chat-close-label').textContent = text.close;
    transcript.setAttribute('aria-label', text.transcript);
    input.placeholder = text.placeholder;
    sendButton.textContent = text.send;
    if (embedded) {
      document.body.classList.add('embedded');
      element('chat-close').hidden = false;
    }
  }

  function setStatus(message) {
    if (statusLine.textContent !== message) statusLine.textContent = message;
  }

  function scrollToEnd() {
    transcript.scrollTop = transcript.scrollHeight;
  }

  // --- Storage (sessionStorage may be refused in a third-party frame: then the session lives as long as the page).

  function loadSession() {
    try {
      const stored = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || 'null');
      if (stored && typeof stored.token === 'string' && Date.parse(stored.expiresAt) > Date.now() + 60_000) return stored;
    } catch {
      // Nothing stored, or storage refused.
    }
    return null;
  }

  function saveSession(value) {
    try {
      if (value) window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
      else window.sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Storage refused: keep it in memory only.
    }
  }

  async function startSession() {
    for (let attempt = 0; !stopped; attempt += 1) {
      try {
        const response = await fetch(api('session'), { method: 'POST', cache: 'no-store' });
        if (response.status === 201) {
          const started = await response.json();
          saveSession(started);
          return started;
        }
      } catch {
        // Network trouble: try again below.
      }
      setStatus(text.unavailable);
      await sleep(Math.min(15_000, 1_000 * 2 ** attempt));
    }
    return null;
  }

  function sessionEnded() {
    stopped = true;
    saveSession(null);
    if (currentStream) currentStream.abort();
    input.disabled = true;
    sendButton.disabled = true;
    hideTyping();
    statusLine.textContent = text.expired;
    const restart = document.createElement('button');
    restart.type = 'button';
    restart.className = 'restart';
    restart.textContent = text.restart;
    restart.addEventListener('click', () => window.location.reload());
    statusLine.append(restart);
    restart.focus();
  }

  // --- The transcript.

  function authorLabel(author) {
    return author === 'customer' ? text.you : author === 'staff' ? text.staff : text.bot;
  }

  function renderMessage(author, body) {
    const item = document.createElement('div');
    item.className = `message message-${author}`;
    const who = document.createElement('span');
    who.className = author === 'customer' ? 'visually-hidden' : 'message-author';
    who.textContent = `${authorLabel(author)}: `;
    const paragraph = document.createElement('p');
    paragraph.className = 'message-text';
    paragraph.textContent = body;
    item.append(who, paragraph);
    transcript.append(item);
    // Once the conversation has begun, the introduction gives its room to the transcript (phones are short).
    element('chat-intro').hidden = true;
    scrollToEnd();
    return item;
  }

  function setMessageState(item, state, failed) {
    let line = item.querySelector('.message-state');
    if (!state) {
      if (line) line.remove();
      return;
    }
    if (!line) {
      line = document.createElement('span');
      line.className = 'message-state';
      item.append(line);
    }
    line.classList.toggle('message-state-failed', Boolean(failed));
    line.textContent = state;
  }

  function removeQuickReplies() {
    for (const group of transcript.querySelectorAll('.quick-replies')) group.remove();
  }

  function renderQuickReplies(item, quickReplies) {
    removeQuickReplies();
    if (quickReplies.length === 0) return;
    const group = document.createElement('div');
    group.className = 'quick-replies';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', text.suggestions);
    for (const quickReply of quickReplies) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'quick-reply';
      button.textContent = quickReply.label;
      button.dataset.value = quickReply.value;
      button.addEventListener('click', () => {
        send(quickReply.value, quickReply.label);
        input.focus();
      });
      group.append(button);
    }
    item.append(group);
    scrollToEnd();
  }

  function showTyping(ttlMs) {
    typingLine.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, ttlMs);
  }

  function hideTyping() {
    clearTimeout(typingTimer);
    typingLine.hidden = true;
  }

  function onMessage(message) {
    if (shown.has(message.id)) {
      if (message.author !== 'customer') acknowledge(message.id);
      return;
    }
    shown.add(message.id);
    if (message.author === 'customer') {
      const mine = message.clientMessageId ? pending.get(message.clientMessageId) : undefined;
      if (mine) {
        setMessageState(mine.item, '');
        mine.confirmed = true;
      } else {
        // Sent from another tab, or the history of a reloaded page: the earlier suggestions were answered.
        removeQuickReplies();
        renderMessage('customer', offeredLabels.get(message.text) || message.text);
      }
      return;
    }
    hideTyping();
    const item = renderMessage(message.author, message.text);
    const quickReplies = Array.isArray(message.quickReplies) ? message.quickReplies : [];
    offeredLabels = new Map(quickReplies.map((quickReply) => [quickReply.value, quickReply.label]));
    renderQuickReplies(item, quickReplies);
    acknowledge(message.id);
  }

  // --- Receipts: what was shown is acknowledged (batched; retried until the server has them).

  function acknowledge(id) {
    unacknowledged.add(id);
    if (!acknowledging) void flushReceipts();
  }

  async function flushReceipts() {
    acknowledging = true;
    try {
      for (let attempt = 0; unacknowledged.size > 0 && !stopped; attempt += 1) {
        await sleep(attempt === 0 ? 100 : Math.min(15_000, 1_000 * 2 ** attempt));
        const batch = Array.from(unacknowledged).slice(0, 100);
        try {
          const response = await fetch(api('receipts'), {
            method: 'POST',
            headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ messageIds: batch }),
          });
          if (response.status === 401) return sessionEnded();
          if (response.ok || response.status === 400) {
            for (const id of batch) unacknowledged.delete(id);
            attempt = -1;
          }
        } catch {
          // Network trouble: the next attempt waits longer; unacknowledged messages also come again on reconnect.
        }
      }
    } finally {
      acknowledging = false;
    }
  }

  // --- Sending: one message at a time, in order; each resent with the same id until stored.

  function send(body, display) {
    const value = body.trim() === '' ? '' : body;
    if (value === '' || stopped || !session) return;
    removeQuickReplies();
    const clientMessageId = newId();
    const item = renderMessage('customer', display || value);
    const entry = { item, confirmed: false };
    pending.set(clientMessageId, entry);
    setMessageState(item, text.sending);
    sendQueue = sendQueue.then(() => deliver(clientMessageId, value, entry));
  }

  async function deliver(clientMessageId, value, entry) {
    for (let attempt = 0; !stopped; attempt += 1) {
      const response = await fetch(api('messages'), {
        method: 'POST',
        headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ clientMessageId, text: value, locale }),
      }).catch(() => null);
      if (response && (response.status === 202 || response.status === 200)) {
        if (!entry.confirmed) setMessageState(entry.item, '');
        return;
      }
      if (response && response.status === 401) return sessionEnded();
      if (response && (response.status === 400 || response.status === 413 || response.status === 415)) {
        setMessageState(entry.item, text.failed, true);
        return;
      }
      const retryAfter = response ? Number(response.headers.get('Retry-After')) : NaN;
      setMessageState(entry.item, response && response.status === 429 ? text.tooFast : text.retrying);
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.min(15_000, 1_000 * 2 ** attempt));
    }
  }

  // --- The event stream (Server-Sent Events over fetch).

  async function readEvents(body, onEvent) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let type = '';
    let data = [];
    let id = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop() || '';
      for (const line of lines) {
        if (line === '') {
          if (id !== null) lastEventId = id;
          if (data.length > 0) onEvent(type || 'message', data.join('\n'));
          type = '';
          data = [];
          id = null;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const fieldValue = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') type = fieldValue;
        else if (field === 'data') data.push(fieldValue);
        else if (field === 'id') id = fieldValue;
      }
    }
  }

  function onEvent(type, data) {
    let payload;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    if (type === 'message') onMessage(payload);
    else if (type === 'typing') showTyping(Number(payload.ttlMs) || 15_000);
    else if (type === 'expired') sessionEnded();
  }

  async function stream() {
    for (let attempt = 0; !stopped; attempt += 1) {
      const controller = new AbortController();
      currentStream = controller;
      try {
        const headers = { Authorization: `Bearer ${session.token}`, Accept: 'text/event-stream' };
        if (lastEventId) headers['Last-Event-ID'] = lastEventId;
        const response = await fetch(api('events'), { headers, cache: 'no-store', signal: controller.signal });
        if (response.status === 401) return sessionEnded();
        if (response.ok && response.body) {
          setStatus('');
          attempt = 0;
          await readEvents(response.body, onEvent);
        }
      } catch {
        // Dropped: reconnect below.
      }
      if (stopped) return;
      setStatus(text.reconnecting);
      await sleep(Math.min(15_000, 1_000 * 2 ** attempt));
    }
  }

  // --- Wiring.

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value;
    if (value.trim() === '') return;
    input.value = '';
    send(value);
    input.focus();
  });
  input.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter is a new line; never while an input method (pinyin) is composing.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  const closeFrame = () => window.parent.postMessage({ type: 'ombuds-chat:close' }, '*');
  element('chat-close').addEventListener('click', closeFrame);
  document.addEventListener('keydown', (event) => {
    if (embedded && event.key === 'Escape') closeFrame();
  });

  applyTexts();
  setStatus(text.connecting);
  void (async () => {
    session = loadSession() || (await startSession());
    if (!session) return;
    // In the bank's frame the customer has just opened the chat; on a page of its own, no focus jump.
    if (embedded) input.focus();
    await stream();
  })();
})();
