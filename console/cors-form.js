// @ts-check
/**
 * The CORS rules as a form, one fieldset per rule, kept in step with the JSON editor by the CORS
 * tab: the form shows what the JSON says, and every edit in the form rewrites the JSON. Nothing
 * is validated here beyond the shape: S3 judges the rules when they are saved.
 */
import { h, mount } from './dom.js';

/** The methods S3 accepts in AllowedMethod (docs/spec/cors.md §3); any other is shown too, checked. */
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];
let unique = 0;

/** @typedef {import('./cors-json.js').CorsRule} CorsRule */

/** One value a line, blank lines left out. @param {string} text */
const lines = (text) => text.split('\n').map((s) => s.trim()).filter((s) => s !== '');

/**
 * @param {(rules: CorsRule[]) => void} onChange called with the form's rules after every edit
 */
export function corsForm(onChange) {
  /** @type {Array<() => CorsRule>} */
  let readers = [];
  const rulesBox = h('div', { class: 'form-rules' });
  const note = h('p', { class: 'hint', role: 'status' });
  const fields = /** @type {HTMLFieldSetElement} */ (h('fieldset', { class: 'form-fields', 'aria-labelledby': 'cors-form-title' }, note, rulesBox));
  const read = () => readers.map((r) => r());
  const changed = () => onChange(read());
  fields.addEventListener('input', changed);
  fields.addEventListener('change', changed);

  /** @param {CorsRule[]} rules @param {number} [focus] the rule whose first field gets focus */
  const show = (rules, focus) => {
    fields.disabled = false;
    note.textContent = '';
    readers = [];
    mount(rulesBox, rules.length === 0 ? h('p', {}, 'No rules yet: add one.') : rules.map((rule, i) => ruleFieldset(rule, i)));
    if (focus !== undefined) /** @type {HTMLElement | null} */ (rulesBox.querySelectorAll('fieldset.rule')[focus]?.querySelector('textarea') ?? null)?.focus();
  };

  /** @param {CorsRule} rule @param {number} i */
  const ruleFieldset = (rule, i) => {
    const id = `cors-rule-${++unique}`;
    const text = (/** @type {string} */ suffix, /** @type {string} */ label, /** @type {string[] | undefined} */ values, /** @type {string} */ hint) => {
      const input = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: `${id}-${suffix}`, rows: String(Math.max(2, (values?.length ?? 0) + 1)), spellcheck: 'false', 'aria-describedby': `${id}-${suffix}-hint`, value: (values ?? []).join('\n') }));
      return { input, field: h('div', { class: 'field' }, h('label', { for: input.id }, label), h('span', { class: 'hint', id: `${id}-${suffix}-hint` }, hint), input) };
    };
    const origins = text('origins', 'Allowed origins', rule.AllowedOrigins, 'one a line, e.g. http://localhost:3000 or *');
    const headers = text('headers', 'Allowed headers', rule.AllowedHeaders, 'request headers a preflight may ask for, one a line; * for any');
    const expose = text('expose', 'Expose headers', rule.ExposeHeaders, 'response headers a script may read, one a line, e.g. ETag');
    const ruleId = /** @type {HTMLInputElement} */ (h('input', { id: `${id}-id`, value: rule.ID ?? '', spellcheck: 'false' }));
    const maxAge = /** @type {HTMLInputElement} */ (h('input', { id: `${id}-max-age`, inputmode: 'numeric', value: rule.MaxAgeSeconds === undefined ? '' : String(rule.MaxAgeSeconds), spellcheck: 'false' }));
    const original = rule.AllowedMethods ?? [];
    const methods = [...METHODS, ...original.filter((m, k) => !METHODS.includes(m) && original.indexOf(m) === k)];
    const boxes = methods.map((m) => /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', id: `${id}-m-${m}`, value: m, checked: original.includes(m) })));

    readers.push(() => {
      const checked = boxes.filter((b) => b.checked).map((b) => b.value);
      /** @type {CorsRule} */
      const out = {};
      if (ruleId.value !== '') out.ID = ruleId.value;
      /** @type {Array<['AllowedHeaders' | 'AllowedMethods' | 'AllowedOrigins' | 'ExposeHeaders', string[]]>} */
      const lists = [['AllowedHeaders', lines(headers.input.value)], ['AllowedMethods', [...original.filter((m) => checked.includes(m)), ...checked.filter((m) => !original.includes(m))]],
        ['AllowedOrigins', lines(origins.input.value)], ['ExposeHeaders', lines(expose.input.value)]];
      for (const [name, values] of lists) if (values.length > 0) out[name] = values;
      const age = maxAge.value.trim();
      // A number goes as a number, anything else as typed: S3 says what is wrong with it.
      if (age !== '') out.MaxAgeSeconds = /^-?\d+$/.test(age) ? Number(age) : age;
      return out;
    });

    return h('fieldset', { class: 'rule' },
      h('legend', {}, `Rule ${i + 1}`),
      origins.field,
      h('fieldset', { class: 'methods' }, h('legend', {}, 'Allowed methods'),
        boxes.map((b) => h('span', { class: 'method' }, b, h('label', { for: b.id }, b.value)))),
      headers.field,
      expose.field,
      h('div', { class: 'field short' }, h('label', { for: maxAge.id }, 'Max age (seconds)'), maxAge),
      h('div', { class: 'field short' }, h('label', { for: ruleId.id }, 'ID'), ruleId),
      h('button', {
        type: 'button', 'aria-label': `Remove rule ${i + 1}`,
        onclick: () => {
          const rules = read();
          rules.splice(i, 1);
          show(rules);
          onChange(rules);
        },
      }, 'Remove rule'));
  };

  const add = h('button', {
    type: 'button',
    onclick: () => {
      const rules = [...read(), { AllowedMethods: ['GET'] }];
      show(rules, rules.length - 1);
      onChange(rules);
    },
  }, 'Add rule');
  fields.append(add);

  return {
    element: fields,
    show,
    /** The JSON cannot be shown as a form (not JSON, not the aws-cli shape): the form waits. @param {string} why */
    pause(why) {
      fields.disabled = true;
      note.textContent = `The form waits for valid JSON: ${why}`;
    },
  };
}
