/*
 * Building the page without HTML strings: `h(tag, attributes, ...children)` creates an element whose string
 * children become text nodes, so whatever the server sends is shown as text and never parsed as markup. Event
 * handlers are attributes named `on<event>`; `class`, `for`, `hidden` and ARIA attributes are set as such.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'value' && 'value' in element) element.value = String(value);
    else if (name === 'checked' || name === 'selected' || name === 'disabled' || name === 'required' || name === 'multiple') element[name] = Boolean(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children: strings and numbers as text nodes, arrays flattened, null/undefined/false skipped. */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(element) {
  while (element.firstChild) element.removeChild(element.firstChild);
  return element;
}

/** Replaces an element's content. */
export function replace(element, ...children) {
  clear(element);
  return append(element, children);
}

let nextId = 0;
/** A fresh id for label/aria pairs. */
export function uniqueId(prefix) {
  nextId += 1;
  return `${prefix}-${String(nextId)}`;
}

/** A labelled form field: the control (given) inside a wrapper with its label and an optional hint. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = uniqueId('field');
  const hintElement = hint ? h('p', { class: 'field-hint', id: `${control.id}-hint` }, hint) : null;
  if (hintElement) control.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, labelText), control, hintElement);
}

/** A select of `[value, text]` pairs. */
export function select(attributes, options, selected) {
  return h('select', attributes, options.map(([value, text]) => h('option', { value, selected: value === selected }, text)));
}
