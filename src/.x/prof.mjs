// src/declaration/index.ts
import { createHash } from "node:crypto";

// src/problems.ts
function formatLocation(at) {
  return at ? `${at.file}:${at.line}:${at.col}` : "";
}
function hasErrors(problems) {
  return problems.some((p) => p.severity === "error");
}
function sortProblems(problems) {
  return [...problems].sort(
    (a, b) => (a.at?.file ?? "").localeCompare(b.at?.file ?? "") || (a.at?.line ?? 0) - (b.at?.line ?? 0) || (a.at?.col ?? 0) - (b.at?.col ?? 0) || a.message.localeCompare(b.message)
  );
}

// src/declaration/files.ts
import { isUtf8 } from "node:buffer";
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
var MAX_FRAGMENT_BYTES = 25 * 1024 * 1024;
var isFragmentName = (name) => /\.ya?ml$/i.test(name);
function readFragments(folder, cwd = process.cwd()) {
  const dir = resolve(cwd, folder);
  const problems = [];
  const fragments = [];
  const show = (path) => relative(cwd, path) || ".";
  let root;
  try {
    if (!statSync(dir).isDirectory()) throw new Error("not a directory");
    root = realpathSync(dir);
  } catch {
    problems.push({ severity: "error", code: "files.no-dir", message: `declaration folder ${show(dir)} does not exist or is not a folder`, at: { file: show(dir), line: 1, col: 1 } });
    return { fragments, problems };
  }
  const walk = (folder2) => {
    const entries = readdirSync(folder2, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1);
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = join(folder2, entry.name);
      const at = { file: show(path), line: 1, col: 1 };
      let target = path;
      if (entry.isSymbolicLink()) {
        try {
          target = realpathSync(path);
        } catch {
          problems.push({ severity: "error", code: "files.broken-link", message: `${show(path)} is a broken symbolic link`, at });
          continue;
        }
        if (target !== root && !target.startsWith(root + sep)) {
          problems.push({ severity: "error", code: "files.outside", message: `${show(path)} links outside the declaration folder (to ${target}); copy the file in instead`, at });
          continue;
        }
      }
      const stat = lstatSync(target);
      if (stat.isDirectory()) {
        if (!entry.isSymbolicLink()) walk(path);
        continue;
      }
      if (!stat.isFile() || !isFragmentName(entry.name)) continue;
      if (stat.size > MAX_FRAGMENT_BYTES) {
        problems.push({ severity: "error", code: "files.too-large", message: `${show(path)} is ${stat.size} bytes; fragments may be at most ${MAX_FRAGMENT_BYTES} bytes (${MAX_FRAGMENT_BYTES / 1048576} MB): split it into several files`, at });
        continue;
      }
      const decoded = decodeUtf8(readFileSync(target), show(path));
      if ("problem" in decoded) problems.push(decoded.problem);
      else fragments.push({ file: show(path), text: decoded.text });
    }
  };
  walk(root);
  return { fragments, problems };
}
function decodeUtf8(bytes, file) {
  if (isUtf8(bytes)) {
    const bom = bytes[0] === 239 && bytes[1] === 187 && bytes[2] === 191;
    return { text: bytes.toString("utf8", bom ? 3 : 0) };
  }
  let line = 1;
  let lineStart = 0;
  const bad = firstInvalidUtf8(bytes);
  for (let i = 0; i < bad; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  const col = Buffer.from(bytes.subarray(lineStart, bad)).toString("utf8").length + 1;
  return {
    problem: {
      severity: "error",
      code: "files.encoding",
      message: `${file} is not valid UTF-8 (byte 0x${bytes[bad]?.toString(16).padStart(2, "0")} at offset ${bad}); save it as UTF-8`,
      at: { file, line, col }
    }
  };
}
function firstInvalidUtf8(bytes) {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 128 ? 0 : b >= 194 && b <= 223 ? 1 : b >= 224 && b <= 239 ? 2 : b >= 240 && b <= 244 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === void 0 || (c & 192) !== 128) return i;
    }
    const slice = bytes.subarray(i, i + need + 1);
    if (need > 0 && new TextDecoder("utf-8", { fatal: false }).decode(slice).includes("\uFFFD")) return i;
    i += need + 1;
  }
  return bytes.length;
}

// src/declaration/fast-parse.ts
import jsYaml from "js-yaml";
import { Schema as YamlSchema, isScalar } from "yaml";
var CORE_TAGS = new YamlSchema({ schema: "core" }).tags.filter((t) => !("collection" in t && t.collection) && t.default === true && "test" in t && t.test instanceof RegExp);
var RESOLVE_OPTIONS = { intAsBigInt: false };
var Unusual = class extends Error {
};
var MAYBE_NOT_STRING = /^(?:$|[~nNtTfF0-9+\-.])/;
var FAST_TAG = "roster core scalar";
var matched;
var construct = (tag, data) => {
  const resolved = tag.resolve(data, () => {
    throw new Unusual();
  }, RESOLVE_OPTIONS);
  return isScalar(resolved) ? resolved.value : resolved;
};
function resolvePlainScalar(data) {
  const c = data.charCodeAt(0);
  if (c >= 97 && c !== 110 && c !== 116 && c !== 102 && c !== 126) return data;
  if (!MAYBE_NOT_STRING.test(data)) return data;
  const tag = CORE_TAGS.find((t) => t.test.test(data));
  return tag === void 0 ? data : construct(tag, data);
}
var FAST_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsYaml.Type(FAST_TAG, {
      kind: "scalar",
      resolve: (data) => {
        matched = typeof data === "string" && MAYBE_NOT_STRING.test(data) ? CORE_TAGS.find((tag) => tag.test.test(data)) : void 0;
        return matched !== void 0;
      },
      construct: (data) => construct(matched, data)
    })
  ]
});
var ODD_CHARACTERS = /[\t\u0085\u2028\u2029\ufeff]/;
var DOCUMENT_LINE = /^(?:%|---|\.\.\.)/m;
var isSpace = (c) => Number.isNaN(c) || /\s/.test(String.fromCharCode(c));
function unusualText(text) {
  if (ODD_CHARACTERS.test(text) || DOCUMENT_LINE.test(text)) return true;
  const every = (char, test) => {
    for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) if (test(at)) return true;
    return false;
  };
  return every("\r", (at) => text.charCodeAt(at + 1) !== 10) || every("?", (at) => (at === 0 || isSpace(text.charCodeAt(at - 1)) || "[{,".includes(text[at - 1])) && isSpace(text.charCodeAt(at + 1))) || every("#", (at) => at > 0 && `]}'"`.includes(text[at - 1])) || ["]", "}"].some(
    (close) => every(close, (at) => {
      let next = at + 1;
      while (text.charCodeAt(next) === 32) next++;
      return text.charCodeAt(next) === 58 && isSpace(text.charCodeAt(next + 1));
    })
  );
}
var FORBIDDEN_KEYS = /* @__PURE__ */ new Set(["__proto__", "constructor", "prototype"]);
var nonStringKey = (key) => CORE_TAGS.some((t) => t.test.test(key));
var MAX_DEPTH = 60;
var FLOW_END = /* @__PURE__ */ new Set([93, 125]);
function fastParse(file, text) {
  if (unusualText(text)) return void 0;
  const entries = [];
  const openLines = [];
  let depth = 0;
  let opened = { line: 0, col: 0, offset: 0 };
  let children = { lines: [], cols: [], offsets: [] };
  let key;
  const listener = (event, state) => {
    if (event === "open") {
      openLines[depth++] = state.line;
      if (depth === 2) opened = { line: state.line + 1, col: state.position - state.lineStart + 1, offset: state.position };
      else if (depth === 3) {
        children.lines.push(state.line + 1);
        children.cols.push(state.position - state.lineStart + 1);
        children.offsets.push(state.position);
      }
      return;
    }
    depth--;
    if (state.anchor !== null || state.tag !== null && state.tag !== "?" && state.tag !== FAST_TAG) throw new Unusual();
    if (state.kind === null) throw new Unusual();
    if (state.line !== openLines[depth] && (state.kind === "scalar" || FLOW_END.has(state.input.charCodeAt(state.position - 1)))) throw new Unusual();
    if (depth !== 1) return;
    if (!key) {
      if (typeof state.result !== "string") throw new Unusual();
      key = { key: state.result, keyAt: opened };
    } else {
      if (state.kind === "sequence") key.items = { lines: Int32Array.from(children.lines), cols: Int32Array.from(children.cols), offsets: Int32Array.from(children.offsets) };
      entries.push(key);
      key = void 0;
    }
    children = { lines: [], cols: [], offsets: [] };
  };
  let value;
  try {
    value = jsYaml.load(text, { schema: FAST_SCHEMA, listener, maxDepth: MAX_DEPTH });
  } catch {
    return void 0;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return void 0;
  if (!matches(entries, value)) return void 0;
  return { file, text, value, entries };
}
function matches(entries, value) {
  const keys = Object.keys(value);
  if (keys.length !== entries.length) return false;
  return entries.every((e, i) => {
    const v = value[e.key];
    return keys[i] === e.key && (Array.isArray(v) ? e.items?.offsets.length === v.length : e.items === void 0);
  });
}
function readsAsPrecise(fragment) {
  const nameKeysOk = (map) => {
    for (const key in map) if (FORBIDDEN_KEYS.has(key) || nonStringKey(key)) return false;
    return true;
  };
  for (const u of fragment.users ?? []) if (!nameKeysOk(u.workspaces)) return false;
  for (const r2 of fragment.roles ?? []) if (!nameKeysOk(r2.permissions)) return false;
  const s = fragment.settings;
  return [s?.guards?.minAdmins, s?.guards?.privilegedCreditAmount, s?.approvals?.privileged?.minApprovals].every((n) => n === void 0 || Number.isSafeInteger(n));
}

// src/declaration/common-parse.ts
function commonParse(file, text) {
  if (UNREAD_CHARACTERS.test(text) || text.includes("\r") && LONE_CR.test(text)) return void 0;
  try {
    return new LineParser(file, text).document();
  } catch (e) {
    if (e instanceof Unusual) return void 0;
    throw e;
  }
}
var UNREAD_CHARACTERS = /[\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;
var LONE_CR = /\r(?!\n)/;
var KEY_SLOTS = 16;
var DOCUMENT_LINE2 = /^(?:%|---|\.\.\.)/;
var MAX_DEPTH2 = 60;
var SPACE = 32;
var HASH = 35;
var COLON = 58;
var DASH = 45;
var QUESTION = 63;
var SINGLE = 39;
var DOUBLE = 34;
var COMMA = 44;
var OPEN_SQUARE = 91;
var CLOSE_SQUARE = 93;
var OPEN_CURLY = 123;
var CLOSE_CURLY = 125;
var INDICATOR = 1;
var FLOW_STOP = 2;
var CLASSES = new Uint8Array(128);
for (const c of ",[]{}#&*!|>'\"%@`") CLASSES[c.charCodeAt(0)] |= INDICATOR;
for (const c of ",[]{}:#") CLASSES[c.charCodeAt(0)] |= FLOW_STOP;
var is = (c, kind) => c < 128 && (CLASSES[c] & kind) !== 0;
var badStart = (first, second, inFlow) => is(first, INDICATOR) || (first === DASH || first === QUESTION || first === COLON) && (second === SPACE || Number.isNaN(second) || inFlow && is(second, FLOW_STOP));
var bail = () => {
  throw new Unusual();
};
var LineParser = class {
  constructor(file, text) {
    this.file = file;
    this.text = text;
  }
  file;
  text;
  /** The current content line: its start, where its content starts and ends (before any CR), and its number (0-based). */
  lineStart = 0;
  content = 0;
  end = 0;
  line = -1;
  next = 0;
  eof = false;
  depth = 0;
  /** The next `#` and `:` at or after the last search's start (text.length for none). */
  found = { "#": -1, ":": -1 };
  /**
   * Plain keys seen before, by depth and place in their map: the users of a
   * file mostly spell the same keys in the same order, and a key recognised
   * in the text is neither scanned nor sliced again.
   */
  keys = [];
  nextOf(char, from) {
    if (this.found[char] < from) {
      const at = this.text.indexOf(char, from);
      this.found[char] = at < 0 ? this.text.length : at;
    }
    return this.found[char];
  }
  document() {
    this.advance();
    if (this.eof || this.startsItem(this.content)) return void 0;
    const entries = [];
    const value = this.mapping(this.indent, this.content, entries);
    if (!this.eof) bail();
    return { file: this.file, text: this.text, value, entries };
  }
  get indent() {
    return this.content - this.lineStart;
  }
  /** Moves to the next line with content, skipping blank and comment lines. */
  advance() {
    const { text } = this;
    let pos = this.next;
    for (; ; ) {
      if (pos >= text.length) {
        this.eof = true;
        return;
      }
      this.line++;
      const newline = text.indexOf("\n", pos);
      const lineEnd = newline < 0 ? text.length : newline;
      let content = pos;
      while (text.charCodeAt(content) === SPACE) content++;
      if (content < lineEnd && text.charCodeAt(content) !== HASH && !(content === lineEnd - 1 && text.charCodeAt(content) === 13)) {
        if (content === pos && DOCUMENT_LINE2.test(text.slice(pos, pos + 3))) bail();
        this.lineStart = pos;
        this.content = content;
        this.end = text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
        this.next = lineEnd + 1;
        return;
      }
      pos = lineEnd + 1;
    }
  }
  /** `- ` at `at`: a list item. A lone `-` (its item on the lines below) is left to js-yaml. */
  startsItem(at) {
    if (this.text.charCodeAt(at) !== DASH) return false;
    if (at + 1 >= this.end) return bail();
    return this.text.charCodeAt(at + 1) === SPACE;
  }
  skipSpaces(at) {
    while (this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }
  /** After a value on the current line: nothing, or a comment; then the next content line, which may not be deeper. */
  finishLine(after, indent) {
    const at = this.skipSpaces(after);
    if (at < this.end && (this.text.charCodeAt(at) !== HASH || at === after)) bail();
    this.advance();
    if (!this.eof && this.indent > indent) bail();
  }
  enter() {
    if (++this.depth > MAX_DEPTH2) bail();
  }
  /** A block map whose first key is at `first` (on the current line), its keys at column `indent`. */
  mapping(indent, first, entries) {
    this.enter();
    const map = {};
    let at = first;
    for (let k = 0; ; k++) {
      if (!this.blockKey(at, this.depth * KEY_SLOTS + Math.min(k, KEY_SLOTS - 1))) bail();
      const { keyName: name, keyColon: colon } = this;
      if (name === "__proto__" || Object.hasOwn(map, name)) bail();
      if (entries && !this.keyIsString) bail();
      const entry = entries && { key: name, keyAt: { line: this.line + 1, col: at - this.lineStart + 1, offset: at } };
      const valueAt = this.skipSpaces(colon + 1);
      if (valueAt >= this.end || this.text.charCodeAt(valueAt) === HASH) {
        this.advance();
        if (this.eof || this.indent < indent) bail();
        if (this.indent > indent) map[name] = this.block(entry);
        else if (this.startsItem(this.content)) map[name] = this.sequence(indent, entry);
        else bail();
      } else {
        const [value, after] = this.inline(valueAt, entry);
        map[name] = value;
        this.finishLine(after, indent);
      }
      if (entry) entries.push(entry);
      if (this.eof || this.indent < indent) break;
      if (this.indent > indent || this.startsItem(this.content)) bail();
      at = this.content;
    }
    this.depth--;
    return map;
  }
  /** A block node starting on the current line, at its indentation. */
  block(entry) {
    const indent = this.indent;
    if (this.startsItem(this.content)) return this.sequence(indent, entry);
    return this.mapping(indent, this.content);
  }
  /** A block list whose dashes are at column `indent`; each item a scalar, a flow collection or a map begun on its line. */
  sequence(indent, entry) {
    this.enter();
    const list = [];
    const items = entry && { lines: [], cols: [], offsets: [] };
    for (; ; ) {
      const at = this.skipSpaces(this.content + 2);
      if (at >= this.end || this.text.charCodeAt(at) === HASH || this.startsItem(at)) bail();
      if (items) {
        items.lines.push(this.line + 1);
        items.cols.push(at - this.lineStart + 1);
        items.offsets.push(at);
      }
      if (this.blockKey(at, (this.depth + 1) * KEY_SLOTS)) list.push(this.mapping(at - this.lineStart, at));
      else {
        const [value, after] = this.inline(at);
        list.push(value);
        this.finishLine(after, indent);
      }
      if (this.eof || this.indent < indent) break;
      if (this.indent > indent) bail();
      if (!this.startsItem(this.content)) break;
    }
    if (entry) entry.items = { lines: Int32Array.from(items.lines), cols: Int32Array.from(items.cols), offsets: Int32Array.from(items.offsets) };
    this.depth--;
    return list;
  }
  /**
   * Whether the line has the key of a block map entry at `at`: a quoted or
   * plain scalar followed by `:` and a space or the line's end. The key, where
   * its `:` is, and whether it is a string are left in keyName, keyColon and keyIsString.
   */
  blockKey(at, slot) {
    const { text, end } = this;
    const first = text.charCodeAt(at);
    if (first === SINGLE || first === DOUBLE) {
      const [name, after] = this.quoted(at);
      if (text.charCodeAt(after) !== COLON) return false;
      if (after + 1 < end && text.charCodeAt(after + 1) !== SPACE) bail();
      return this.foundKey(name, after, true);
    }
    if (first === OPEN_SQUARE || first === OPEN_CURLY) return false;
    const known = this.keys[slot];
    if (known !== void 0 && text.startsWith(known, at)) {
      const colon = at + known.length;
      if (text.charCodeAt(colon) === COLON && (colon + 1 === end || text.charCodeAt(colon + 1) === SPACE)) return this.foundKey(known, colon, true);
    }
    for (let i = at; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) {
        if (badStart(first, text.charCodeAt(at + 1), false)) bail();
        if (text.charCodeAt(i - 1) === SPACE || i === at) bail();
        const written = text.slice(at, i);
        const plain = resolvePlainScalar(written);
        if (plain === written) this.keys[slot] = written;
        return this.foundKey(String(plain), i, typeof plain === "string");
      }
      if (c === HASH && text.charCodeAt(i - 1) === SPACE) return false;
    }
    return false;
  }
  keyName = "";
  keyColon = 0;
  keyIsString = true;
  foundKey(name, colon, isString) {
    this.keyName = name;
    this.keyColon = colon;
    this.keyIsString = isString;
    return true;
  }
  /** A value on one line: a flow collection, a quoted scalar or a plain scalar. Returns it and where it ends. */
  inline(at, entry) {
    const { text, end } = this;
    const first = text.charCodeAt(at);
    if (first === OPEN_SQUARE || first === OPEN_CURLY) return this.flow(at, entry);
    if (first === SINGLE || first === DOUBLE) return this.quoted(at);
    if (badStart(first, at + 1 === end ? NaN : text.charCodeAt(at + 1), false)) bail();
    if (this.nextOf("#", at) >= end && this.nextOf(":", at) >= end) {
      let last2 = end;
      while (text.charCodeAt(last2 - 1) === SPACE) last2--;
      return [resolvePlainScalar(text.slice(at, last2)), last2];
    }
    let last = at;
    for (let i = at; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === SPACE) {
        if (text.charCodeAt(i + 1) === HASH) break;
        continue;
      }
      if (c === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) bail();
      last = i + 1;
    }
    return [resolvePlainScalar(text.slice(at, last)), last];
  }
  /** A quoted scalar that closes on its line; double-quoted ones without escapes. */
  quoted(at) {
    const { text, end } = this;
    const quote = text.charCodeAt(at);
    if (quote === DOUBLE) {
      const close = text.indexOf('"', at + 1);
      if (close < 0 || close >= end) bail();
      const value2 = text.slice(at + 1, close);
      if (value2.includes("\\")) bail();
      return [value2, close + 1];
    }
    let value = "";
    let from = at + 1;
    for (; ; ) {
      const close = text.indexOf("'", from);
      if (close < 0 || close >= end) bail();
      value += text.slice(from, close);
      if (text.charCodeAt(close + 1) !== SINGLE) return [value, close + 1];
      value += "'";
      from = close + 2;
    }
  }
  /** A flow list or map that closes on its line. A list that is a root key's value records where its items start. */
  flow(at, entry) {
    const { text } = this;
    this.enter();
    const isList = text.charCodeAt(at) === OPEN_SQUARE;
    const close = isList ? CLOSE_SQUARE : CLOSE_CURLY;
    const list = [];
    const map = {};
    const items = isList && entry ? { lines: [], cols: [], offsets: [] } : void 0;
    let p = this.skipSpaces(at + 1);
    if (text.charCodeAt(p) !== close) {
      for (; ; ) {
        if (p >= this.end) bail();
        if (isList) {
          if (items) {
            items.lines.push(this.line + 1);
            items.cols.push(p - this.lineStart + 1);
            items.offsets.push(p);
          }
          const [value, after] = this.flowItem(p);
          list.push(value);
          p = after;
        } else {
          const [name, colon] = this.flowKey(p);
          if (name === "__proto__" || Object.hasOwn(map, name)) bail();
          const [value, after] = this.flowItem(this.skipSpaces(colon + 1));
          map[name] = value;
          p = after;
        }
        p = this.skipSpaces(p);
        const c = text.charCodeAt(p);
        if (c === close) break;
        if (c !== COMMA || p >= this.end) bail();
        p = this.skipSpaces(p + 1);
        if (text.charCodeAt(p) === close) bail();
      }
    }
    if (entry && items) entry.items = { lines: Int32Array.from(items.lines), cols: Int32Array.from(items.cols), offsets: Int32Array.from(items.offsets) };
    this.depth--;
    return [isList ? list : map, p + 1];
  }
  flowItem(at) {
    const { text } = this;
    const first = text.charCodeAt(at);
    if (first === OPEN_SQUARE || first === OPEN_CURLY) return this.flow(at);
    if (first === SINGLE || first === DOUBLE) return this.quoted(at);
    const stop = this.flowPlainEnd(at);
    return [resolvePlainScalar(text.slice(at, stop)), stop];
  }
  /** A flow map's key and the position of its `:`, which must be followed by a space. */
  flowKey(at) {
    const { text } = this;
    const first = text.charCodeAt(at);
    let name;
    let colon;
    if (first === SINGLE || first === DOUBLE) [name, colon] = this.quoted(at);
    else if (first === OPEN_SQUARE || first === OPEN_CURLY) return bail();
    else {
      colon = this.flowPlainEnd(at);
      name = String(resolvePlainScalar(text.slice(at, colon)));
    }
    if (text.charCodeAt(colon) !== COLON || text.charCodeAt(colon + 1) !== SPACE) bail();
    return [name, colon];
  }
  /** Where a plain scalar inside a flow collection ends: before `,`, `]`, `}` or `:`; any other stop, or none, is left alone. */
  flowPlainEnd(at) {
    const { text, end } = this;
    if (badStart(text.charCodeAt(at), text.charCodeAt(at + 1), true)) bail();
    let last = at;
    for (let i = at; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === HASH && text.charCodeAt(i - 1) !== SPACE) {
        last = i + 1;
        continue;
      }
      if (is(c, FLOW_STOP)) {
        if (c === HASH || c === OPEN_SQUARE || c === OPEN_CURLY || last === at) bail();
        return last;
      }
      if (c !== SPACE) last = i + 1;
    }
    return bail();
  }
};

// src/declaration/parse.ts
import { LineCounter, isAlias, isMap, isScalar as isScalar2, isSeq, parseDocument } from "yaml";
var KEY_SUFFIX = "#key";
var FORBIDDEN_KEYS2 = /* @__PURE__ */ new Set(["__proto__", "constructor", "prototype"]);
var MAX_DEPTH3 = 64;
var MAX_ALIAS_NODES = 1e4;
function parseFragment(file, text) {
  const lineCounter = new LineCounter();
  const locations = /* @__PURE__ */ new Map();
  const problems = [];
  const at = (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const error = (code, message, offset, path) => problems.push({ severity: "error", code, message, at: at(offset), ...path ? { path } : {} });
  let doc;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  } catch (e) {
    error("yaml.syntax", `cannot parse YAML: ${e.message}`, 0);
    return { file, value: void 0, locations, problems };
  }
  const reported = /* @__PURE__ */ new Set();
  for (const e of doc.errors) {
    let code = e.code === "DUPLICATE_KEY" ? "yaml.duplicate-key" : "yaml.syntax";
    let message = yamlMessage(e.message);
    if (/call stack/i.test(message)) [code, message] = ["yaml.too-deep", "nesting too deep to read"];
    else if (e.code === "MULTIPLE_DOCS") message = 'a fragment holds one YAML document: split this file at the "---" into several files';
    if (reported.has(code + message)) continue;
    reported.add(code + message);
    error(code, message, e.pos[0]);
  }
  for (const w of doc.warnings) {
    problems.push({ severity: "warning", code: "yaml.warning", message: yamlMessage(w.message), at: at(w.pos[0]) });
  }
  if (problems.some((p) => p.severity === "error")) return { file, value: void 0, locations, problems };
  let aliasNodes = 0;
  let aliasBombReported = false;
  const build = (node, pointer, path, depth, viaAlias) => {
    if (node === null || node === void 0) return null;
    if (depth > MAX_DEPTH3) {
      const offset2 = node.range?.[0] ?? 0;
      error("yaml.too-deep", `${path || "document"}: nesting deeper than ${MAX_DEPTH3} levels`, offset2, path);
      return null;
    }
    if (viaAlias && ++aliasNodes > MAX_ALIAS_NODES) {
      if (!aliasBombReported) {
        aliasBombReported = true;
        const offset2 = node.range?.[0] ?? 0;
        error("yaml.alias-bomb", `aliases expand to more than ${MAX_ALIAS_NODES} nodes; refusing to expand (alias bomb?)`, offset2, path);
      }
      return null;
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) {
        error("yaml.alias", `unknown alias *${node.source}`, node.range?.[0] ?? 0, path);
        return null;
      }
      locations.set(pointer, at(node.range?.[0] ?? 0));
      return build(target, pointer, path, depth, true);
    }
    const offset = node.range?.[0] ?? 0;
    if (!viaAlias || !locations.has(pointer)) locations.set(pointer, at(offset));
    if (isScalar2(node)) {
      const v = node.value;
      if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v)) {
        error("yaml.unsafe-integer", `${path}: ${node.source ?? v} is too large to be represented exactly`, offset, path);
      }
      return v;
    }
    if (isMap(node)) {
      const obj = {};
      for (const pair of node.items) {
        const keyNode = pair.key;
        const keyOffset = keyNode?.range?.[0] ?? offset;
        if (!isScalar2(keyNode) || typeof keyNode.value !== "string" && typeof keyNode.value !== "number") {
          error("yaml.key", `${path || "document"}: keys must be plain strings`, keyOffset, path);
          continue;
        }
        const key = String(keyNode.value);
        const childPath = path ? `${path}.${key}` : key;
        if (FORBIDDEN_KEYS2.has(key)) {
          error("yaml.forbidden-key", `${childPath}: the key "${key}" is not allowed`, keyOffset, childPath);
          continue;
        }
        const childPointer = `${pointer}/${escapePointer(key)}`;
        locations.set(childPointer + KEY_SUFFIX, at(keyOffset));
        obj[key] = build(pair.value, childPointer, childPath, depth + 1, viaAlias);
        if (pair.value === null || pair.value === void 0) locations.set(childPointer, at(keyOffset));
      }
      return obj;
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => build(item, `${pointer}/${i}`, `${path}[${i}]`, depth + 1, viaAlias));
    }
    return null;
  };
  let value;
  try {
    value = build(doc.contents, "", "", 0, false);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    error("yaml.too-deep", `nesting too deep to read`, 0);
    value = void 0;
  }
  return { file, value, locations, problems };
}
function escapePointer(segment) {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}
function yamlMessage(message) {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
function locate(locations, pointer, file) {
  let p = pointer;
  for (; ; ) {
    const hit = locations.get(p);
    if (hit) return hit;
    if (p === "") return { file, line: 1, col: 1 };
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

// src/declaration/locator.ts
var EntityLocation = class {
  constructor(file, line, col, locator, list, index2) {
    this.file = file;
    this.line = line;
    this.col = col;
    this.#locator = locator;
    this.#list = list;
    this.#index = index2;
  }
  file;
  line;
  col;
  #locator;
  #list;
  #index;
  /** A field of the entity (`role`, or a path: `workspaces/analytics`, `projects/2`); asKey: at the key rather than the value. */
  field(field, asKey = false) {
    return this.#locator.at(`/${escapePointer(this.#list)}/${this.#index}/${field.split("/").map(escapePointer).join("/")}${asKey ? KEY_SUFFIX : ""}`);
  }
};
function preciseLocator(file, index2) {
  const locator = {
    at: (pointer) => locate(index2, pointer, file),
    item: (key, i) => {
      const { line, col } = locate(index2, `/${escapePointer(key)}/${i}`, file);
      return new EntityLocation(file, line, col, locator, key, i);
    }
  };
  return locator;
}
var regionBudget = (entities) => Math.max(64, entities >> 2);
function fastLocator(fragment, stats) {
  const { file, text, entries } = fragment;
  const byKey = new Map(entries.map((e, i) => [e.key, { entry: e, next: entries[i + 1] }]));
  const regions = /* @__PURE__ */ new Map();
  let whole;
  const wholeFile = (pointer) => {
    if (!whole) {
      stats.files++;
      whole = parseFragment(file, text).locations;
    }
    return locate(whole, pointer, file);
  };
  const budget = regionBudget(entries.reduce((n, e) => n + (e.items?.offsets.length ?? 1), 0));
  const lineStart = (offset) => text.lastIndexOf("\n", offset - 1) + 1;
  const itemAt = (e, i) => new EntityLocation(file, e.items.lines[i], e.items.cols[i], locator, e.key, i);
  const regionOf = (key, item) => {
    const id = item === void 0 ? key : `${key}\0${item}`;
    if (regions.has(id)) return regions.get(id);
    let region = null;
    if (regions.size < budget) {
      const { entry, next } = byKey.get(key);
      const startOf = (offset, prefix) => {
        const start = lineStart(offset);
        return prefix.test(text.slice(start, offset)) ? start : -1;
      };
      const end = next ? startOf(next.keyAt.offset, /^ *$/) : text.length;
      const bounds = item === void 0 ? { start: startOf(entry.keyAt.offset, /^ *$/), end, line: entry.keyAt.line } : {
        start: startOf(entry.items.offsets[item], /^ *- +$/),
        end: item + 1 < entry.items.offsets.length ? startOf(entry.items.offsets[item + 1], /^ *- +$/) : end,
        line: entry.items.lines[item]
      };
      if (bounds.start >= 0 && bounds.end >= 0) {
        stats.regions++;
        const parsed = parseFragment(file, text.slice(bounds.start, bounds.end));
        if (parsed.problems.length === 0) region = { index: parsed.locations, lineShift: bounds.line - 1 };
      }
    }
    regions.set(id, region);
    return region;
  };
  const locator = {
    item: (key, index2) => {
      const e = byKey.get(key)?.entry;
      if (e?.items && index2 < e.items.lines.length) return itemAt(e, index2);
      const { line, col } = wholeFile(`/${escapePointer(key)}/${index2}`);
      return new EntityLocation(file, line, col, locator, key, index2);
    },
    at: (pointer) => {
      const m = /^\/([^/#]*)(?:\/(\d+))?(\/.*|#key)?$/.exec(pointer);
      const key = m?.[1]?.replace(/~1/g, "/").replace(/~0/g, "~");
      const e = key === void 0 ? void 0 : byKey.get(key)?.entry;
      if (!m || !e || m[2] !== void 0 && (!e.items || Number(m[2]) >= e.items.lines.length)) return wholeFile(pointer);
      if (m[2] === void 0 && m[3] === KEY_SUFFIX) return { file, line: e.keyAt.line, col: e.keyAt.col };
      const item = m[2] === void 0 ? void 0 : Number(m[2]);
      if (item !== void 0 && m[3] === void 0) return itemAt(e, item);
      const region = regionOf(key, item);
      if (!region) return wholeFile(pointer);
      const inRegion = item === void 0 ? pointer : `/0${m[3]}`;
      const hit = locate(region.index, inRegion, file);
      return { file, line: hit.line + region.lineShift, col: hit.col };
    }
  };
  return locator;
}

// src/declaration/users-index.ts
var index = /* @__PURE__ */ new WeakMap();
function rememberUsers(d, byEmail) {
  index.set(d, byEmail);
}
function usersByEmail(d) {
  let byEmail = index.get(d);
  if (!byEmail) index.set(d, byEmail = new Map(d.users.map((u) => [u.email, u])));
  return byEmail;
}

// src/declaration/normalize.ts
var SIMPLE_ASCII = /^[\x21-\x7e]*$/;
function normalizeEmail(email) {
  return SIMPLE_ASCII.test(email) ? standaloneLowerCase(email) : email.trim().normalize("NFC").toLowerCase();
}
function standaloneLowerCase(ascii) {
  return ascii.toUpperCase().toLowerCase();
}
var SETTINGS_SOURCE = /* @__PURE__ */ Symbol("settings source");
function fieldAt(entity, field, asKey = false) {
  const at = entity.at;
  if (at instanceof EntityLocation) return at.field(field, asKey);
  return entity[SETTINGS_SOURCE]?.at(`/settings/${field.split("/").map(escapePointer).join("/")}${asKey ? KEY_SUFFIX : ""}`);
}
var DEFAULT_SETTINGS = {
  provider: "postgres",
  organization: null,
  unmanaged: "report",
  removal: "deactivate",
  exclude: [],
  guards: { maxRemovalPercent: 25, minAdmins: 1, privilegedCreditAmount: 1e3 },
  approvals: { privileged: null },
  policies: {}
};
function createMerger() {
  const problems = [];
  const seen = /* @__PURE__ */ new Map();
  const settingsSeen = [];
  let settings = DEFAULT_SETTINGS;
  let settingsAt;
  const out = {
    organizations: [],
    roles: [],
    workspaces: [],
    projects: [],
    packages: [],
    users: [],
    credits: []
  };
  const duplicate = (kind, key, first, at, list, index2) => problems.push({
    severity: "error",
    code: "duplicate",
    message: `duplicate ${kind} "${key}": declared at ${formatLocation(first)} and at ${formatLocation(at)}`,
    at,
    path: `${list}[${index2}]`
  });
  const claim = (kind, key, at, list, index2) => {
    let ofKind = seen.get(kind);
    if (!ofKind) seen.set(kind, ofKind = /* @__PURE__ */ new Map());
    const first = ofKind.get(key);
    if (first) {
      duplicate(kind, key, first, at, list, index2);
      return false;
    }
    ofKind.set(key, at);
    return true;
  };
  const files = [];
  const usersByEmail2 = /* @__PURE__ */ new Map();
  const add = ({ file, value, locations }) => {
    files.push(file);
    if (value.settings) {
      const at = locations.at("/settings" + KEY_SUFFIX);
      settingsSeen.push(at);
      if (settingsSeen.length > 1) {
        problems.push({
          severity: "error",
          code: "settings.duplicate",
          message: `settings are declared more than once: at ${formatLocation(settingsSeen[0])} and at ${formatLocation(at)}; keep them in one fragment`,
          at,
          path: "settings"
        });
      } else {
        settings = resolveSettings(value.settings);
        settingsAt = at;
        Object.defineProperty(settings, SETTINGS_SOURCE, { value: locations });
      }
    }
    value.organizations?.forEach((o, i) => {
      const at = locations.item("organizations", i);
      if (claim("organization", o.name, at, "organizations", i)) out.organizations.push({ name: o.name, ...o.displayName !== void 0 && { displayName: o.displayName }, at });
    });
    value.roles?.forEach((r2, i) => {
      const at = locations.item("roles", i);
      if (claim("role", r2.name, at, "roles", i)) {
        out.roles.push({
          name: r2.name,
          ...r2.description !== void 0 && { description: r2.description },
          owner: r2.owner ?? false,
          admin: (r2.admin ?? false) || (r2.owner ?? false),
          ...r2.permissions !== void 0 && { permissions: sortedPermissions(r2.permissions) },
          at
        });
      }
    });
    value.workspaces?.forEach((w, i) => {
      const at = locations.item("workspaces", i);
      if (claim("workspace", w.name, at, "workspaces", i)) {
        out.workspaces.push({ name: w.name, organization: w.organization ?? null, ...w.description !== void 0 && { description: w.description }, previously: w.previously ?? [], at });
      }
    });
    value.projects?.forEach((p, i) => {
      const at = locations.item("projects", i);
      if (claim("project", p.name, at, "projects", i)) {
        out.projects.push({ name: p.name, organization: p.organization ?? null, owner: normalizeEmail(p.owner), ...p.description !== void 0 && { description: p.description }, at });
      }
    });
    value.packages?.forEach((p, i) => {
      const at = locations.item("packages", i);
      if (claim("package", p.name, at, "packages", i)) {
        out.packages.push({ name: p.name, ...p.createdBy !== void 0 && { createdBy: normalizeEmail(p.createdBy) }, ...p.description !== void 0 && { description: p.description }, at });
      }
    });
    value.users?.forEach((u, i) => {
      const at = locations.item("users", i);
      const email = normalizeEmail(u.email);
      const first = usersByEmail2.get(email);
      if (first) {
        duplicate("user", email, first.at, at, "users", i);
        return;
      }
      const user = {
        email,
        name: u.name,
        role: u.role,
        status: u.status ?? "active",
        organization: u.organization ?? null,
        department: u.department,
        workspaces: u.workspaces === void 0 ? void 0 : sortedRecord(u.workspaces),
        projects: u.projects,
        packages: u.packages,
        expires: u.expires,
        resendInvitation: u.resendInvitation,
        github: u.github,
        at
      };
      out.users.push(user);
      usersByEmail2.set(email, user);
    });
    value.credits?.forEach((c, i) => {
      const at = locations.item("credits", i);
      if (!claim("credit grant", c.id, at, "credits", i)) return;
      const to = typeof c.to === "string" ? normalizeEmail(c.to) : c.to;
      out.credits.push({ id: c.id, to, amount: c.amount, kind: c.kind ?? "awarded", reason: c.reason, at });
    });
  };
  const finish = (digest) => {
    const byName = (a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    const declaration = {
      settings,
      ...settingsAt && { settingsAt },
      organizations: out.organizations.sort(byName),
      roles: out.roles.sort(byName),
      workspaces: out.workspaces.sort(byName),
      projects: out.projects.sort(byName),
      packages: out.packages.sort(byName),
      // Emails and ids are unique here (duplicates were left out above): one comparison decides.
      users: out.users.sort((a, b) => a.email < b.email ? -1 : 1),
      credits: out.credits.sort((a, b) => a.id < b.id ? -1 : 1),
      files: files.sort(),
      digest
    };
    resolveOrganizations(declaration, problems);
    rememberUsers(declaration, usersByEmail2);
    return { declaration, problems };
  };
  return { add, finish };
}
function resolveSettings(s) {
  const d = DEFAULT_SETTINGS;
  const policies = {};
  if (s.policies?.signupCredits !== void 0) policies.signupCredits = s.policies.signupCredits;
  if (s.policies?.lowBalanceThreshold !== void 0) policies.lowBalanceThreshold = s.policies.lowBalanceThreshold;
  if (s.policies?.creditExpiryDays !== void 0) policies.creditExpiryDays = s.policies.creditExpiryDays;
  return {
    provider: s.provider ?? d.provider,
    organization: s.organization ?? null,
    unmanaged: s.unmanaged ?? d.unmanaged,
    removal: s.removal ?? d.removal,
    exclude: (s.exclude ?? []).map(normalizeEmail).sort(),
    guards: {
      maxRemovalPercent: s.guards?.maxRemovalPercent ?? d.guards.maxRemovalPercent,
      minAdmins: s.guards?.minAdmins ?? d.guards.minAdmins,
      privilegedCreditAmount: s.guards?.privilegedCreditAmount ?? d.guards.privilegedCreditAmount
    },
    approvals: {
      privileged: s.approvals?.privileged ? { minApprovals: s.approvals.privileged.minApprovals ?? 1, approvers: [...s.approvals.privileged.approvers] } : null
    },
    policies
  };
}
function resolveOrganizations(d, problems) {
  if (d.organizations.length === 0) return;
  const declared = d.settings.organization !== null && d.organizations.some((o) => o.name === d.settings.organization);
  if (d.settings.organization !== null && !declared) return;
  const fallback = d.settings.organization ?? (d.organizations.length === 1 ? d.organizations[0].name : null);
  const resolve2 = (kind, entity, label) => {
    if (entity.organization !== null) return;
    if (fallback) entity.organization = fallback;
    else {
      problems.push({
        severity: "error",
        code: "organization.missing",
        message: `${kind} ${label} names no organization and there are several: set its organization or settings.organization`,
        at: entity.at
      });
    }
  };
  for (const u of d.users) resolve2("user", u, u.email);
  for (const w of d.workspaces) resolve2("workspace", w, w.name);
  for (const p of d.projects) resolve2("project", p, p.name);
}
function sortedRecord(record) {
  let previous;
  for (const key in record) {
    if (previous !== void 0 && previous >= key) return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a < b ? -1 : 1));
    previous = key;
  }
  return record;
}
function sortedPermissions(p) {
  return Object.fromEntries(
    Object.entries(p).sort(([a], [b]) => a < b ? -1 : 1).map(([k, v]) => [k, [...v].sort()])
  );
}

// src/util/suggest.ts
import { closest, distance } from "fastest-levenshtein";
function didYouMean(word, known) {
  const candidates = [...known];
  if (candidates.length === 0) return "";
  const best = closest(word, candidates);
  return distance(word.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(word.length / 3)) ? `; did you mean "${best}"?` : "";
}

// src/providers/github/capabilities.ts
var GITHUB_CAPABILITIES = {
  name: "github",
  cannotHold: [
    "projects",
    "packages",
    "credit grants",
    "credit policies",
    "expiry dates",
    "invitation resends",
    "role permissions",
    "organization display names",
    "departments",
    "user names",
    "the suspended status"
  ],
  workspaceRoles: ["admin", "member"],
  maxOrganizations: 1,
  twoRoles: true,
  needsGithubLogin: true
};

// src/providers/postgres/capabilities.ts
var POSTGRES_CAPABILITIES = {
  name: "postgres",
  cannotHold: [],
  workspaceRoles: ["admin", "member", "viewer"],
  maxOrganizations: null,
  twoRoles: false,
  needsGithubLogin: false
};

// src/providers/scim/capabilities.ts
var SCIM_CAPABILITIES = {
  name: "scim",
  cannotHold: ["projects", "packages", "credit grants", "credit policies", "expiry dates", "invitation resends", "role permissions", "organization display names", "workspace descriptions"],
  workspaceRoles: ["member"],
  maxOrganizations: null,
  twoRoles: false,
  needsGithubLogin: false
};

// src/declaration/capabilities.ts
var USER_FEATURES = [
  ["projects", (u) => u.projects !== void 0, "projects", true],
  ["packages", (u) => u.packages !== void 0, "packages", true],
  ["expiry dates", (u) => u.expires !== void 0, "expires", true],
  ["invitation resends", (u) => u.resendInvitation !== void 0, "resendInvitation", true],
  ["departments", (u) => u.department !== void 0, "department", true],
  ["user names", (u) => u.name !== void 0, "name", true],
  ["the suspended status", (u) => u.status === "suspended", "status", false]
];
var CAPABILITIES = { postgres: POSTGRES_CAPABILITIES, scim: SCIM_CAPABILITIES, github: GITHUB_CAPABILITIES };
function checkCapabilities(d) {
  const caps = CAPABILITIES[d.settings.provider];
  const problems = [];
  const cannot = new Set(caps.cannotHold);
  const report = (entity, message, at) => problems.push({ severity: "error", code: "provider.capability", message: `${entity}: the ${caps.name} provider ${message}`, ...at && { at } });
  const check = (feature, used, entity, at) => {
    if (used && cannot.has(feature)) report(entity, `cannot hold ${feature}`, at());
  };
  for (const c of d.credits) check("credit grants", true, `credit grant ${c.id}`, () => c.at);
  for (const p of d.projects) check("projects", true, `project ${p.name}`, () => p.at);
  for (const p of d.packages) check("packages", true, `package ${p.name}`, () => p.at);
  for (const key of Object.keys(d.settings.policies)) check("credit policies", true, `settings.policies.${key}`, () => fieldAt(d.settings, `policies/${key}`, true));
  for (const o of d.organizations) check("organization display names", o.displayName !== void 0, `organization ${o.name}`, () => fieldAt(o, "displayName", true));
  for (const r2 of d.roles) check("role permissions", r2.permissions !== void 0, `role ${r2.name}`, () => fieldAt(r2, "permissions", true));
  for (const w of d.workspaces) check("workspace descriptions", w.description !== void 0, `workspace ${w.name}`, () => fieldAt(w, "description", true));
  const userChecks = USER_FEATURES.filter(([feature]) => cannot.has(feature));
  const limitedRoles = POSTGRES_CAPABILITIES.workspaceRoles.some((role) => !caps.workspaceRoles.includes(role));
  const logins = /* @__PURE__ */ new Map();
  if (userChecks.length || limitedRoles || caps.needsGithubLogin) {
    for (const u of d.users) {
      const who = `user ${u.email}`;
      for (const [feature, used, field, asKey] of userChecks) check(feature, used(u), who, () => fieldAt(u, field, asKey));
      if (limitedRoles) {
        for (const [ws, role] of Object.entries(u.workspaces ?? {})) {
          if (!caps.workspaceRoles.includes(role)) report(who, `cannot hold workspace role ${role} (in ${ws}); it holds ${caps.workspaceRoles.join(" and ")}`, fieldAt(u, `workspaces/${ws}`, true));
        }
      }
      if (caps.needsGithubLogin) {
        const lower = u.github?.toLowerCase();
        if (lower === void 0) report(who, "needs the GitHub login of every user: add github: LOGIN", u.at);
        else if (logins.has(lower)) report(who, `needs one GitHub login per user: ${u.github} is also declared for ${logins.get(lower)}`, fieldAt(u, "github"));
        else logins.set(lower, u.email);
      }
    }
  }
  if (caps.maxOrganizations !== null && d.organizations.length > caps.maxOrganizations) {
    for (const o of d.organizations.slice(caps.maxOrganizations)) report(`organization ${o.name}`, `holds ${caps.maxOrganizations} organization (ROSTER_GITHUB_ORG); declare only one`, o.at);
  }
  if (caps.twoRoles) {
    const admins = d.roles.filter((r2) => r2.admin);
    const others = d.roles.filter((r2) => !r2.admin);
    for (const r2 of [...admins.slice(1), ...others.slice(1)]) {
      report(`role ${r2.name}`, `holds two roles, organization admin and member; declare at most one admin role and one other role (${(r2.admin ? admins : others)[0].name} is declared)`, r2.at);
    }
  }
  return problems;
}

// src/declaration/confusables.ts
var LOOKALIKES = {
  \u0430: "a",
  \u0432: "b",
  \u0435: "e",
  \u043A: "k",
  \u043C: "m",
  \u043D: "h",
  \u043E: "o",
  \u0440: "p",
  \u0441: "c",
  \u0442: "t",
  \u0443: "y",
  \u0445: "x",
  \u0455: "s",
  \u0456: "i",
  \u0458: "j",
  "\u0501": "d",
  "\u04CF": "l",
  "\u051B": "q",
  "\u051D": "w",
  \u03B1: "a",
  \u03B2: "b",
  \u03B5: "e",
  \u03B9: "i",
  \u03BA: "k",
  \u03BD: "v",
  \u03BF: "o",
  \u03C1: "p",
  \u03C4: "t",
  \u03C5: "u",
  \u03C7: "x"
};
function skeleton(email) {
  return [...email.normalize("NFKD")].map((ch) => LOOKALIKES[ch] ?? ch).join("").replace(/[\u0300-\u036f]/g, "");
}
function isAscii(text) {
  return /^[\x20-\x7e]*$/.test(text);
}
function mixesScripts(text) {
  return /\p{Script=Latin}/u.test(text) && /[\p{Script=Cyrillic}\p{Script=Greek}]/u.test(text);
}

// src/declaration/rules.ts
var err = (code, message, at) => ({ severity: "error", code, message, ...at && { at } });
var warn = (code, message, at) => ({ severity: "warning", code, message, ...at && { at } });
var hasAccess = (u) => u.status === "active" || u.status === "invited";
var effectivelyActive = (u, today) => hasAccess(u) && !(u.expires !== void 0 && u.expires < today);
var names = (list) => new Set(list.map((x) => x.name));
var references = (d) => {
  const problems = [];
  const roles = names(d.roles);
  const orgs = names(d.organizations);
  const workspaces = new Map(d.workspaces.map((w) => [w.name, w]));
  const projects = new Map(d.projects.map((p) => [p.name, p]));
  const packages = names(d.packages);
  const users = usersByEmail(d);
  const missing = (kind, name, where, at, known) => {
    const hint = !known.size ? ` (no ${kind}s are declared)` : kind === "user" ? "" : didYouMean(name, known.keys());
    problems.push(err(`ref.${kind}`, `${where} refers to ${kind} "${name}", which is not declared${hint}`, at));
  };
  const checkOrg = (org, where, entity) => {
    if (org !== null && !orgs.has(org)) missing("organization", org, where, fieldAt(entity, "organization") ?? void 0, orgs);
  };
  if (d.settings.organization && !orgs.has(d.settings.organization)) {
    missing("organization", d.settings.organization, "settings.organization", fieldAt(d.settings, "organization"), orgs);
  }
  for (const w of d.workspaces) checkOrg(w.organization, `workspace ${w.name}`, w);
  for (const p of d.projects) {
    checkOrg(p.organization, `project ${p.name}`, p);
    const owner = users.get(p.owner);
    if (!owner) missing("user", p.owner, `owner of project ${p.name}`, fieldAt(p, "owner"), users);
  }
  for (const pkg of d.packages) {
    if (pkg.createdBy && !users.has(pkg.createdBy)) missing("user", pkg.createdBy, `createdBy of package ${pkg.name}`, fieldAt(pkg, "createdBy"), users);
  }
  for (const u of d.users) {
    if (!roles.has(u.role)) missing("role", u.role, `user ${u.email}`, fieldAt(u, "role"), roles);
    checkOrg(u.organization, `user ${u.email}`, u);
    if (u.workspaces) {
      for (const ws in u.workspaces) {
        const w = workspaces.get(ws);
        if (!w) missing("workspace", ws, `user ${u.email}`, fieldAt(u, `workspaces/${ws}`, true), workspaces);
        else if (w.organization !== u.organization) {
          problems.push(err("ref.workspace-organization", `user ${u.email} (organization ${u.organization}) cannot join workspace ${ws} of organization ${w.organization}`, fieldAt(u, `workspaces/${ws}`, true)));
        }
      }
    }
    const assigned = u.projects ?? [];
    for (let i = 0; i < assigned.length; i++) {
      const p = projects.get(assigned[i]);
      if (!p) missing("project", assigned[i], `user ${u.email}`, fieldAt(u, `projects/${i}`), projects);
      else if (p.organization !== u.organization) {
        problems.push(err("ref.project-organization", `user ${u.email} (organization ${u.organization}) cannot be assigned project ${assigned[i]} of organization ${p.organization}`, fieldAt(u, `projects/${i}`)));
      }
    }
    const pkgs = u.packages ?? [];
    for (let i = 0; i < pkgs.length; i++) {
      if (!packages.has(pkgs[i])) missing("package", pkgs[i], `user ${u.email}`, fieldAt(u, `packages/${i}`), packages);
    }
  }
  const dangling = (to) => {
    if (typeof to === "string") return users.has(to) ? void 0 : ["user", to, users];
    if ("role" in to) return roles.has(to.role) ? void 0 : ["role", to.role, roles];
    if ("workspace" in to) return workspaces.has(to.workspace) ? void 0 : ["workspace", to.workspace, workspaces];
    if ("organization" in to) return orgs.has(to.organization) ? void 0 : ["organization", to.organization, orgs];
    return void 0;
  };
  for (const c of d.credits) {
    const miss = dangling(c.to);
    if (miss) missing(miss[0], miss[1], `credit grant ${c.id}`, fieldAt(c, "to"), miss[2]);
  }
  return problems;
};
var projectOwners = (d, { today }) => {
  const users = usersByEmail(d);
  const problems = [];
  for (const p of d.projects) {
    const owner = users.get(p.owner);
    if (!owner) continue;
    const at = () => fieldAt(p, "owner");
    if (!effectivelyActive(owner, today)) {
      const state = hasAccess(owner) ? `expired on ${owner.expires}` : owner.status;
      problems.push(err("project.owner-inactive", `project ${p.name} is owned by ${p.owner}, who is ${state}: assign a new owner from organization ${p.organization} first`, at()));
    } else if (owner.organization !== p.organization) {
      problems.push(
        err("project.owner-organization", `project ${p.name} (organization ${p.organization}) is owned by ${p.owner} of organization ${owner.organization}: move the project too, or assign a new owner from ${p.organization}`, at())
      );
    }
  }
  return problems;
};
var excluded = (d) => {
  const exclude = new Set(d.settings.exclude);
  if (exclude.size === 0) return [];
  const problems = [];
  const report = (email, where, at) => problems.push(err("exclude.referenced", `${where} refers to ${email}, which settings.exclude keeps out of roster's hands: remove one or the other`, at));
  for (const u of d.users) if (exclude.has(u.email)) report(u.email, "a user entry", fieldAt(u, "email"));
  for (const p of d.projects) if (exclude.has(p.owner)) report(p.owner, `project ${p.name}`, fieldAt(p, "owner"));
  for (const p of d.packages) if (p.createdBy && exclude.has(p.createdBy)) report(p.createdBy, `package ${p.name}`, fieldAt(p, "createdBy"));
  for (const c of d.credits) if (typeof c.to === "string" && exclude.has(c.to)) report(c.to, `credit grant ${c.id}`, fieldAt(c, "to"));
  return problems;
};
var renames = (d) => {
  const problems = [];
  const current = names(d.workspaces);
  const claimedBy = /* @__PURE__ */ new Map();
  for (const w of d.workspaces) {
    w.previously.forEach((old, i) => {
      const at = () => fieldAt(w, `previously/${i}`);
      if (old === w.name) problems.push(err("workspace.rename-self", `workspace ${w.name} lists its own name in previously`, at()));
      else if (current.has(old)) problems.push(err("workspace.rename-taken", `workspace ${w.name} was previously "${old}", but a workspace ${old} is also declared`, at()));
      else if (claimedBy.has(old)) problems.push(err("workspace.rename-twice", `workspaces ${claimedBy.get(old)} and ${w.name} both claim to have been "${old}"`, at()));
      else claimedBy.set(old, w.name);
    });
  }
  return problems;
};
var credits = (d, { today }) => {
  const problems = [];
  const users = usersByEmail(d);
  for (const c of d.credits) {
    if (c.id.startsWith("signup:")) {
      problems.push(err("credit.reserved-id", `credit grant ${c.id}: ids starting with "signup:" are reserved for signup credits (settings.policies.signupCredits)`, fieldAt(c, "id")));
    }
    if (typeof c.to === "string") {
      const u = users.get(c.to);
      if (u && !effectivelyActive(u, today)) problems.push(warn("credit.inactive-user", `credit grant ${c.id} goes to ${c.to}, who is ${u.status === "inactive" || u.status === "suspended" ? u.status : "expired"}`, fieldAt(c, "to")));
    } else {
      const to = c.to;
      if (!d.users.some((u) => effectivelyActive(u, today) && matchesSelector(u, to))) problems.push(warn("credit.matches-nobody", `credit grant ${c.id} matches no active user: applying it now would credit nobody and seal it`, fieldAt(c, "to")));
    }
  }
  return problems;
};
var contractors = (d, { today }) => d.users.filter((u) => hasAccess(u) && u.expires !== void 0 && u.expires < today).map((u) => warn("user.expired", `user ${u.email} expired on ${u.expires}: the plan deactivates them; remove the user or extend expires`, fieldAt(u, "expires")));
var homoglyphs = (d) => {
  const problems = [];
  const others = d.users.filter((u) => !isAscii(u.email));
  if (others.length === 0) return problems;
  const ascii = new Set(d.users.filter((u) => isAscii(u.email)).map((u) => u.email));
  for (const u of others) {
    const look = skeleton(u.email);
    const twin = ascii.has(look) ? look : void 0;
    if (twin) problems.push(warn("user.homoglyph", `user ${u.email} looks like ${twin} but is a different address (non-ASCII letters); check it is not an impersonation`, fieldAt(u, "email")));
    else if (mixesScripts(u.email)) problems.push(warn("user.mixed-script", `user ${u.email} mixes Latin with Cyrillic or Greek letters and looks like ${skeleton(u.email)}; check it is the intended address`, fieldAt(u, "email")));
  }
  return problems;
};
var ownerRoles = (d) => {
  const owners = d.roles.filter((r2) => r2.owner);
  if (owners.length === 0 || d.users.length === 0) return [];
  const ownerNames = new Set(owners.map((r2) => r2.name));
  if (d.users.some((u) => hasAccess(u) && ownerNames.has(u.role))) return [];
  return [warn("role.no-owner", `no active user holds an owner role (${[...ownerNames].join(", ")})`, owners[0].at)];
};
function matchesSelector(user, to) {
  if ("role" in to) return user.role === to.role;
  if ("workspace" in to) return user.workspaces !== void 0 && to.workspace in user.workspaces;
  if ("organization" in to) return user.organization === to.organization;
  return true;
}
var RULES = [references, projectOwners, excluded, renames, credits, contractors, ownerRoles, homoglyphs, checkCapabilities];
function checkRules(d, ctx) {
  return RULES.flatMap((rule) => rule(d, ctx));
}

// src/declaration/schema.ts
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";

// src/declaration/schema-types.ts
import { readFileSync as readFileSync2 } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";
var SCHEMA_PATH = fileURLToPath(new URL("../../schema/roster.schema.json", import.meta.url));
var GENERATED_TYPES_PATH = fileURLToPath(new URL("./schema.generated.ts", import.meta.url));
function loadSchema() {
  return JSON.parse(readFileSync2(SCHEMA_PATH, "utf8"));
}

// src/declaration/schema.ts
var addFormats = addFormatsModule.default ?? addFormatsModule;
var compiled;
var schemaRoot;
function validator() {
  if (!compiled) {
    const schema = loadSchema();
    schemaRoot = schema;
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}
var SECRET_KEY = /pass(word|wd|phrase)?$|^pwd$|secret|token|api[_-]?key|private[_-]?key|credential/i;
function passesSchema(value) {
  return value !== null && value !== void 0 && validator()(value);
}
function checkSchema(fragment) {
  const { file, value, locations } = fragment;
  const problems = [];
  const secretPointers = /* @__PURE__ */ new Set();
  findSecrets(value, "", "", (pointer, path, key) => {
    secretPointers.add(pointer);
    problems.push({
      severity: "error",
      code: "secret",
      message: `${path}: "${key}" looks like a secret; passwords and tokens must never be in the declaration. New users are created invited and the platform sends them an invitation (set resendInvitation to send another); credentials for roster itself come from ROSTER_* environment variables`,
      at: locate(locations, pointer + KEY_SUFFIX, file),
      path
    });
  });
  if (value === null || value === void 0) return problems;
  const validate = validator();
  if (validate(value)) return problems;
  const errors = collapse(validate.errors ?? []);
  const misspelt = new Set(
    errors.filter((e) => e.keyword === "additionalProperties").map((e) => `${e.instancePath}|${didYouMean(String(e.params.additionalProperty), allowedKeys(e.instancePath)).match(/"(.*)"/)?.[1] ?? ""}`)
  );
  const seen = /* @__PURE__ */ new Set();
  for (const err2 of errors) {
    if (err2.keyword === "required" && misspelt.has(`${err2.instancePath}|${String(err2.params.missingProperty)}`)) continue;
    const described = describe(err2);
    if (!described) continue;
    if (secretPointers.has(described.pointer)) continue;
    const key = `${described.pointer}|${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const path = pointerToPath(described.pointer);
    problems.push({
      severity: "error",
      code: `schema.${described.code}`,
      message: `${path || "document"}: ${described.message}`,
      at: locate(locations, described.locateAt ?? described.pointer, file),
      path
    });
  }
  return problems;
}
function collapse(errors) {
  const unions = new Set(errors.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath));
  return errors.filter((e) => e.keyword === "oneOf" || ![...unions].some((u) => e.instancePath === u || e.instancePath.startsWith(u + "/")));
}
function describe(err2) {
  const pointer = err2.instancePath;
  const p = err2.params;
  if (err2.propertyName !== void 0 && err2.keyword !== "propertyNames") {
    const key = `${pointer}/${escapePointer(err2.propertyName)}`;
    const what = err2.keyword === "pattern" ? patternMessage(err2.schemaPath) : err2.message ?? "is invalid";
    return { code: `key-${err2.keyword}`, message: `key "${err2.propertyName}" ${what}`, pointer, locateAt: key + KEY_SUFFIX };
  }
  switch (err2.keyword) {
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      const allowed = allowedKeys(pointer);
      const hint = didYouMean(key, allowed) || (allowed.length ? ` (allowed: ${allowed.join(", ")})` : "");
      const child = `${pointer}/${escapePointer(key)}`;
      return { code: "unknown-key", message: `unknown key "${key}"${hint}`, pointer: child, locateAt: child + KEY_SUFFIX };
    }
    case "required":
      return { code: "required", message: `missing required key "${String(p.missingProperty)}"`, pointer };
    case "type":
      return { code: "type", message: `must be ${article(String(p.type))}`, pointer };
    case "enum": {
      const allowed = p.allowedValues.map(String);
      return { code: "enum", message: `must be one of: ${allowed.join(", ")}`, pointer };
    }
    case "const":
      return { code: "const", message: `must be ${JSON.stringify(p.allowedValue)}`, pointer };
    case "pattern":
      return { code: "pattern", message: patternMessage(err2.schemaPath), pointer };
    case "format":
      return { code: "format", message: p.format === "date" ? "is not a valid date (YYYY-MM-DD, a day that exists)" : `must be a valid ${String(p.format)}`, pointer };
    case "minimum":
    case "maximum":
      return { code: "range", message: `must be ${err2.keyword === "minimum" ? "at least" : "at most"} ${String(p.limit)}`, pointer };
    case "minLength":
    case "maxLength":
      return { code: "length", message: `must be ${err2.keyword === "minLength" ? "at least" : "at most"} ${String(p.limit)} characters long`, pointer };
    case "minItems":
      return { code: "length", message: `must have at least ${String(p.limit)} item(s)`, pointer };
    case "uniqueItems":
      return { code: "unique", message: `items ${String(p.j)} and ${String(p.i)} are the same`, pointer: `${pointer}/${String(p.i)}` };
    case "not":
      return { code: "not", message: "must not be 0", pointer };
    case "oneOf":
      return pointer.endsWith("/to") ? { code: "credit-target", message: "must be an email or one of {role: NAME}, {workspace: NAME}, {organization: NAME}, {all: true}", pointer } : { code: "one-of", message: "does not match any allowed form", pointer };
    case "propertyNames":
      return void 0;
    // reported by the nested `pattern` error on the key itself
    default:
      return { code: err2.keyword, message: err2.message ?? "is invalid", pointer };
  }
}
function article(type) {
  const names2 = type.split(",").map((t) => t === "integer" ? "a whole number" : t === "object" ? "a mapping" : t === "array" ? "a list" : t === "null" ? "null" : `a ${t}`);
  return names2.join(" or ");
}
function patternMessage(schemaPath) {
  if (schemaPath.includes("/Email/")) return "is not a valid email address";
  if (schemaPath.includes("/Name/")) return "is not a valid name: use lower case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters";
  if (schemaPath.includes("/Credit/properties/id")) return "is not a valid grant id: lower case letters, digits and '.', '_', ':', '@', '-', at most 128 characters";
  if (schemaPath.includes("approvers")) return "is not a valid GitHub login";
  return "has an invalid format";
}
function allowedKeys(instancePointer) {
  validator();
  const root = schemaRoot;
  const deref = (node2) => {
    let n = node2;
    while (n?.$ref) n = root.definitions?.[n.$ref.replace("#/definitions/", "")];
    return n;
  };
  let node = deref(root);
  for (const raw of instancePointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const n = node;
    node = deref(n?.properties?.[seg] ?? (/^\d+$/.test(seg) ? n?.items : void 0) ?? (typeof n?.additionalProperties === "object" ? n.additionalProperties : void 0));
  }
  return node?.properties ? Object.keys(node.properties) : [];
}
function findSecrets(value, pointer, path, report) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => findSecrets(v, `${pointer}/${i}`, `${path}[${i}]`, report));
  } else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      const childPointer = `${pointer}/${escapePointer(key)}`;
      const childPath = path ? `${path}.${key}` : key;
      if (SECRET_KEY.test(key) && !/\/(permissions|workspaces)$/.test(pointer)) report(childPointer, childPath, key);
      else findSecrets(v, childPointer, childPath, report);
    }
  }
}
function pointerToPath(pointer) {
  let out = "";
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(seg) ? `[${seg}]` : out ? `.${seg}` : seg;
  }
  return out;
}

// src/declaration/index.ts
function loadDeclaration(dir, options) {
  let last = performance.now();
  const lap = (phase) => {
    const now = performance.now();
    if (options.timings) options.timings[phase] = (options.timings[phase] ?? 0) + now - last;
    last = now;
  };
  const read = readFragments(dir, options.cwd);
  lap("read");
  const problems = [...read.problems];
  const merger = createMerger();
  const parsedBy = { fast: [], precise: [], located: { regions: 0, files: 0 } };
  for (const { file, text } of read.fragments) {
    const fast = options.precise ? void 0 : commonParse(file, text) ?? fastParse(file, text);
    lap("parse");
    const passes = fast !== void 0 && passesSchema(fast.value) && readsAsPrecise(fast.value);
    lap("schema");
    if (passes) {
      merger.add({ file, value: fast.value, locations: fastLocator(fast, parsedBy.located) });
      lap("merge");
      parsedBy.fast.push(file);
      continue;
    }
    parsedBy.precise.push(file);
    const parsed = parseFragment(file, text);
    lap("parse");
    problems.push(...parsed.problems);
    if (hasErrors(parsed.problems)) continue;
    const schemaProblems = checkSchema(parsed);
    lap("schema");
    problems.push(...schemaProblems);
    if (hasErrors(schemaProblems)) continue;
    merger.add({ file, value: parsed.value ?? {}, locations: preciseLocator(file, parsed.locations) });
    lap("merge");
  }
  if (hasErrors(problems)) return { problems: sortProblems(problems), parsedBy };
  const merged = merger.finish(filesDigest(read.fragments));
  lap("merge");
  problems.push(...merged.problems);
  problems.push(...checkRules(merged.declaration, { today: options.now.toISOString().slice(0, 10) }));
  lap("rules");
  const sorted = sortProblems(problems);
  return hasErrors(sorted) ? { problems: sorted, parsedBy } : { declaration: merged.declaration, problems: sorted, parsedBy };
}
function filesDigest(fragments) {
  const hash = createHash("sha256");
  for (const { file, text } of [...fragments].sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0)) hash.update(`${file}\0${text.length}\0`).update(text);
  return `sha256:${hash.digest("hex")}`;
}

// bench/_prof.ts
var timings = {};
var t0 = performance.now();
var r = loadDeclaration("users", { now: /* @__PURE__ */ new Date("2026-11-01T00:00:00Z"), cwd: process.argv[2], timings });
console.log(Math.round(performance.now() - t0), JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)]))), r.problems.length, r.parsedBy.located);
