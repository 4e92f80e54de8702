/*
 * Ombuds web chat, embeddable: a bank page includes
 *   <script src="https://<ombuds>/chat/widget.js" data-lang="zh" data-title="在线投诉" defer></script>
 * and gets a launcher button that opens the chat (/chat?embed=1, from the same origin as this script) in a frame.
 * The frame is created on first open, so no session starts until the customer asks for one. Nothing here touches
 * the host page beyond the two elements it adds; styles are set through the DOM (no inline <style>), so a strict
 * host CSP is fine. The host origin must be in Ombuds' WEBCHAT_ALLOWED_ORIGINS (frame-ancestors).
 */
(() => {
  'use strict';

  const script = document.currentScript;
  if (!script || !script.src || document.getElementById('ombuds-chat-launcher')) return;
  const source = new URL(script.src);
  const lang = (script.getAttribute('data-lang') || document.documentElement.lang || navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
  const title = script.getAttribute('data-title') || (lang === 'zh' ? '在线投诉' : 'Complaints chat');
  const openLabel = lang === 'zh' ? '打开在线投诉' : 'Open the complaints chat';
  const closeLabel = lang === 'zh' ? '关闭在线投诉' : 'Close the complaints chat';

  const chatUrl = new URL(source.pathname.replace(/\/widget\.js$/, ''), source.origin);
  chatUrl.searchParams.set('embed', '1');
  chatUrl.searchParams.set('lang', lang);
  if (script.getAttribute('data-title')) chatUrl.searchParams.set('title', title);

  const style = (node, rules) => {
    for (const [name, value] of Object.entries(rules)) node.style.setProperty(name, value);
  };

  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.id = 'ombuds-chat-launcher';
  launcher.textContent = title;
  launcher.setAttribute('aria-label', openLabel);
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-controls', 'ombuds-chat-panel');
  style(launcher, {
    position: 'fixed',
    right: '16px',
    bottom: '16px',
    'z-index': '2147483000',
    'min-height': '48px',
    padding: '12px 20px',
    font: '600 16px system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif',
    color: '#ffffff',
    background: '#0b57d0',
    border: '0',
    'border-radius': '24px',
    'box-shadow': '0 2px 8px rgba(0, 0, 0, 0.3)',
    cursor: 'pointer',
  });

  const panel = document.createElement('div');
  panel.id = 'ombuds-chat-panel';
  panel.hidden = true;
  style(panel, {
    position: 'fixed',
    right: '16px',
    bottom: '80px',
    'z-index': '2147483000',
    width: 'min(400px, calc(100vw - 32px))',
    height: 'min(640px, calc(100vh - 112px))',
    background: '#ffffff',
    'border-radius': '12px',
    'box-shadow': '0 4px 24px rgba(0, 0, 0, 0.35)',
    overflow: 'hidden',
  });
  const small = window.matchMedia('(max-width: 480px)');
  const fit = () => {
    // On a phone the chat takes the whole screen.
    style(panel, small.matches ? { right: '0', bottom: '0', width: '100vw', height: '100dvh', 'border-radius': '0' } : { right: '16px', bottom: '80px', width: 'min(400px, calc(100vw - 32px))', height: 'min(640px, calc(100vh - 112px))', 'border-radius': '12px' });
  };
  fit();
  small.addEventListener('change', fit);

  let frame = null;
  const open = () => {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = chatUrl.toString();
      frame.title = title;
      style(frame, { width: '100%', height: '100%', border: '0', display: 'block' });
      panel.append(frame);
    }
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    launcher.setAttribute('aria-label', closeLabel);
    if (small.matches) launcher.hidden = true;
    frame.focus();
  };
  const close = () => {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', openLabel);
    launcher.focus();
  };

  launcher.addEventListener('click', () => (panel.hidden ? open() : close()));
  window.addEventListener('message', (event) => {
    if (event.origin === source.origin && event.source === (frame && frame.contentWindow) && event.data && event.data.type === 'ombuds-chat:close') close();
  });

  const mount = () => document.body.append(panel, launcher);
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
