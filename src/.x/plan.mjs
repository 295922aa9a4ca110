// bench/_plan.ts
import { cpSync, mkdtempSync } from "node:fs";

// src/declaration/index.ts
import { createHash } from "node:crypto";

// src/problems.ts
function formatLocation(at2) {
  return at2 ? `${at2.file}:${at2.line}:${at2.col}` : "";
}
function hasErrors(problems) {
  return problems.some((p2) => p2.severity === "error");
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
var isFragmentName = (name2) => /\.ya?ml$/i.test(name2);
function readFragments(folder, cwd = process.cwd()) {
  const dir2 = resolve(cwd, folder);
  const problems = [];
  const fragments = [];
  const show = (path) => relative(cwd, path) || ".";
  let root;
  try {
    if (!statSync(dir2).isDirectory()) throw new Error("not a directory");
    root = realpathSync(dir2);
  } catch {
    problems.push({ severity: "error", code: "files.no-dir", message: `declaration folder ${show(dir2)} does not exist or is not a folder`, at: { file: show(dir2), line: 1, col: 1 } });
    return { fragments, problems };
  }
  const walk = (folder2) => {
    const entries = readdirSync(folder2, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1);
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = join(folder2, entry.name);
      const at2 = { file: show(path), line: 1, col: 1 };
      let target = path;
      if (entry.isSymbolicLink()) {
        try {
          target = realpathSync(path);
        } catch {
          problems.push({ severity: "error", code: "files.broken-link", message: `${show(path)} is a broken symbolic link`, at: at2 });
          continue;
        }
        if (target !== root && !target.startsWith(root + sep)) {
          problems.push({ severity: "error", code: "files.outside", message: `${show(path)} links outside the declaration folder (to ${target}); copy the file in instead`, at: at2 });
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
        problems.push({ severity: "error", code: "files.too-large", message: `${show(path)} is ${stat.size} bytes; fragments may be at most ${MAX_FRAGMENT_BYTES} bytes (${MAX_FRAGMENT_BYTES / 1048576} MB): split it into several files`, at: at2 });
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
  const col2 = Buffer.from(bytes.subarray(lineStart, bad)).toString("utf8").length + 1;
  return {
    problem: {
      severity: "error",
      code: "files.encoding",
      message: `${file} is not valid UTF-8 (byte 0x${bytes[bad]?.toString(16).padStart(2, "0")} at offset ${bad}); save it as UTF-8`,
      at: { file, line, col: col2 }
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
    for (let at2 = text.indexOf(char); at2 !== -1; at2 = text.indexOf(char, at2 + 1)) if (test(at2)) return true;
    return false;
  };
  return every("\r", (at2) => text.charCodeAt(at2 + 1) !== 10) || every("?", (at2) => (at2 === 0 || isSpace(text.charCodeAt(at2 - 1)) || "[{,".includes(text[at2 - 1])) && isSpace(text.charCodeAt(at2 + 1))) || every("#", (at2) => at2 > 0 && `]}'"`.includes(text[at2 - 1])) || ["]", "}"].some(
    (close) => every(close, (at2) => {
      let next = at2 + 1;
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
      const at2 = this.text.indexOf(char, from);
      this.found[char] = at2 < 0 ? this.text.length : at2;
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
  startsItem(at2) {
    if (this.text.charCodeAt(at2) !== DASH) return false;
    if (at2 + 1 >= this.end) return bail();
    return this.text.charCodeAt(at2 + 1) === SPACE;
  }
  skipSpaces(at2) {
    while (this.text.charCodeAt(at2) === SPACE) at2++;
    return at2;
  }
  /** After a value on the current line: nothing, or a comment; then the next content line, which may not be deeper. */
  finishLine(after, indent) {
    const at2 = this.skipSpaces(after);
    if (at2 < this.end && (this.text.charCodeAt(at2) !== HASH || at2 === after)) bail();
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
    let at2 = first;
    for (let k = 0; ; k++) {
      if (!this.blockKey(at2, this.depth * KEY_SLOTS + Math.min(k, KEY_SLOTS - 1))) bail();
      const { keyName: name2, keyColon: colon } = this;
      if (name2 === "__proto__" || Object.hasOwn(map, name2)) bail();
      if (entries && !this.keyIsString) bail();
      const entry = entries && { key: name2, keyAt: { line: this.line + 1, col: at2 - this.lineStart + 1, offset: at2 } };
      const valueAt = this.skipSpaces(colon + 1);
      if (valueAt >= this.end || this.text.charCodeAt(valueAt) === HASH) {
        this.advance();
        if (this.eof || this.indent < indent) bail();
        if (this.indent > indent) map[name2] = this.block(entry);
        else if (this.startsItem(this.content)) map[name2] = this.sequence(indent, entry);
        else bail();
      } else {
        const [value, after] = this.inline(valueAt, entry);
        map[name2] = value;
        this.finishLine(after, indent);
      }
      if (entry) entries.push(entry);
      if (this.eof || this.indent < indent) break;
      if (this.indent > indent || this.startsItem(this.content)) bail();
      at2 = this.content;
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
      const at2 = this.skipSpaces(this.content + 2);
      if (at2 >= this.end || this.text.charCodeAt(at2) === HASH || this.startsItem(at2)) bail();
      if (items) {
        items.lines.push(this.line + 1);
        items.cols.push(at2 - this.lineStart + 1);
        items.offsets.push(at2);
      }
      if (this.blockKey(at2, (this.depth + 1) * KEY_SLOTS)) list.push(this.mapping(at2 - this.lineStart, at2));
      else {
        const [value, after] = this.inline(at2);
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
  blockKey(at2, slot) {
    const { text, end } = this;
    const first = text.charCodeAt(at2);
    if (first === SINGLE || first === DOUBLE) {
      const [name2, after] = this.quoted(at2);
      if (text.charCodeAt(after) !== COLON) return false;
      if (after + 1 < end && text.charCodeAt(after + 1) !== SPACE) bail();
      return this.foundKey(name2, after, true);
    }
    if (first === OPEN_SQUARE || first === OPEN_CURLY) return false;
    const known = this.keys[slot];
    if (known !== void 0 && text.startsWith(known, at2)) {
      const colon = at2 + known.length;
      if (text.charCodeAt(colon) === COLON && (colon + 1 === end || text.charCodeAt(colon + 1) === SPACE)) return this.foundKey(known, colon, true);
    }
    for (let i = at2; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) {
        if (badStart(first, text.charCodeAt(at2 + 1), false)) bail();
        if (text.charCodeAt(i - 1) === SPACE || i === at2) bail();
        const written = text.slice(at2, i);
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
  foundKey(name2, colon, isString) {
    this.keyName = name2;
    this.keyColon = colon;
    this.keyIsString = isString;
    return true;
  }
  /** A value on one line: a flow collection, a quoted scalar or a plain scalar. Returns it and where it ends. */
  inline(at2, entry) {
    const { text, end } = this;
    const first = text.charCodeAt(at2);
    if (first === OPEN_SQUARE || first === OPEN_CURLY) return this.flow(at2, entry);
    if (first === SINGLE || first === DOUBLE) return this.quoted(at2);
    if (badStart(first, at2 + 1 === end ? NaN : text.charCodeAt(at2 + 1), false)) bail();
    if (this.nextOf("#", at2) >= end && this.nextOf(":", at2) >= end) {
      let last2 = end;
      while (text.charCodeAt(last2 - 1) === SPACE) last2--;
      return [resolvePlainScalar(text.slice(at2, last2)), last2];
    }
    let last = at2;
    for (let i = at2; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === SPACE) {
        if (text.charCodeAt(i + 1) === HASH) break;
        continue;
      }
      if (c === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) bail();
      last = i + 1;
    }
    return [resolvePlainScalar(text.slice(at2, last)), last];
  }
  /** A quoted scalar that closes on its line; double-quoted ones without escapes. */
  quoted(at2) {
    const { text, end } = this;
    const quote2 = text.charCodeAt(at2);
    if (quote2 === DOUBLE) {
      const close = text.indexOf('"', at2 + 1);
      if (close < 0 || close >= end) bail();
      const value2 = text.slice(at2 + 1, close);
      if (value2.includes("\\")) bail();
      return [value2, close + 1];
    }
    let value = "";
    let from = at2 + 1;
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
  flow(at2, entry) {
    const { text } = this;
    this.enter();
    const isList = text.charCodeAt(at2) === OPEN_SQUARE;
    const close = isList ? CLOSE_SQUARE : CLOSE_CURLY;
    const list = [];
    const map = {};
    const items = isList && entry ? { lines: [], cols: [], offsets: [] } : void 0;
    let p2 = this.skipSpaces(at2 + 1);
    if (text.charCodeAt(p2) !== close) {
      for (; ; ) {
        if (p2 >= this.end) bail();
        if (isList) {
          if (items) {
            items.lines.push(this.line + 1);
            items.cols.push(p2 - this.lineStart + 1);
            items.offsets.push(p2);
          }
          const [value, after] = this.flowItem(p2);
          list.push(value);
          p2 = after;
        } else {
          const [name2, colon] = this.flowKey(p2);
          if (name2 === "__proto__" || Object.hasOwn(map, name2)) bail();
          const [value, after] = this.flowItem(this.skipSpaces(colon + 1));
          map[name2] = value;
          p2 = after;
        }
        p2 = this.skipSpaces(p2);
        const c = text.charCodeAt(p2);
        if (c === close) break;
        if (c !== COMMA || p2 >= this.end) bail();
        p2 = this.skipSpaces(p2 + 1);
        if (text.charCodeAt(p2) === close) bail();
      }
    }
    if (entry && items) entry.items = { lines: Int32Array.from(items.lines), cols: Int32Array.from(items.cols), offsets: Int32Array.from(items.offsets) };
    this.depth--;
    return [isList ? list : map, p2 + 1];
  }
  flowItem(at2) {
    const { text } = this;
    const first = text.charCodeAt(at2);
    if (first === OPEN_SQUARE || first === OPEN_CURLY) return this.flow(at2);
    if (first === SINGLE || first === DOUBLE) return this.quoted(at2);
    const stop = this.flowPlainEnd(at2);
    return [resolvePlainScalar(text.slice(at2, stop)), stop];
  }
  /** A flow map's key and the position of its `:`, which must be followed by a space. */
  flowKey(at2) {
    const { text } = this;
    const first = text.charCodeAt(at2);
    let name2;
    let colon;
    if (first === SINGLE || first === DOUBLE) [name2, colon] = this.quoted(at2);
    else if (first === OPEN_SQUARE || first === OPEN_CURLY) return bail();
    else {
      colon = this.flowPlainEnd(at2);
      name2 = String(resolvePlainScalar(text.slice(at2, colon)));
    }
    if (text.charCodeAt(colon) !== COLON || text.charCodeAt(colon + 1) !== SPACE) bail();
    return [name2, colon];
  }
  /** Where a plain scalar inside a flow collection ends: before `,`, `]`, `}` or `:`; any other stop, or none, is left alone. */
  flowPlainEnd(at2) {
    const { text, end } = this;
    if (badStart(text.charCodeAt(at2), text.charCodeAt(at2 + 1), true)) bail();
    let last = at2;
    for (let i = at2; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === HASH && text.charCodeAt(i - 1) !== SPACE) {
        last = i + 1;
        continue;
      }
      if (is(c, FLOW_STOP)) {
        if (c === HASH || c === OPEN_SQUARE || c === OPEN_CURLY || last === at2) bail();
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
  const at2 = (offset) => {
    const { line, col: col2 } = lineCounter.linePos(offset);
    return { file, line, col: col2 };
  };
  const error = (code, message, offset, path) => problems.push({ severity: "error", code, message, at: at2(offset), ...path ? { path } : {} });
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
    problems.push({ severity: "warning", code: "yaml.warning", message: yamlMessage(w.message), at: at2(w.pos[0]) });
  }
  if (problems.some((p2) => p2.severity === "error")) return { file, value: void 0, locations, problems };
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
      locations.set(pointer, at2(node.range?.[0] ?? 0));
      return build(target, pointer, path, depth, true);
    }
    const offset = node.range?.[0] ?? 0;
    if (!viaAlias || !locations.has(pointer)) locations.set(pointer, at2(offset));
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
        locations.set(childPointer + KEY_SUFFIX, at2(keyOffset));
        obj[key] = build(pair.value, childPointer, childPath, depth + 1, viaAlias);
        if (pair.value === null || pair.value === void 0) locations.set(childPointer, at2(keyOffset));
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
  let p2 = pointer;
  for (; ; ) {
    const hit = locations.get(p2);
    if (hit) return hit;
    if (p2 === "") return { file, line: 1, col: 1 };
    p2 = p2.slice(0, p2.lastIndexOf("/"));
  }
}

// src/declaration/locator.ts
var EntityLocation = class {
  constructor(file, line, col2, locator, list, index2) {
    this.file = file;
    this.line = line;
    this.col = col2;
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
      const { line, col: col2 } = locate(index2, `/${escapePointer(key)}/${i}`, file);
      return new EntityLocation(file, line, col2, locator, key, i);
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
      const { line, col: col2 } = wholeFile(`/${escapePointer(key)}/${index2}`);
      return new EntityLocation(file, line, col2, locator, key, index2);
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

// src/util/strings.ts
var SIMPLE_ASCII = /^[\x21-\x7e]*$/;
function standaloneLowerAscii(text) {
  return SIMPLE_ASCII.test(text) ? text.toUpperCase().toLowerCase() : void 0;
}

// src/declaration/users-index.ts
var index = /* @__PURE__ */ new WeakMap();
function rememberUsers(d2, byEmail) {
  index.set(d2, byEmail);
}
function usersByEmail(d2) {
  let byEmail = index.get(d2);
  if (!byEmail) index.set(d2, byEmail = new Map(d2.users.map((u) => [u.email, u])));
  return byEmail;
}

// src/declaration/normalize.ts
function normalizeEmail(email) {
  return standaloneLowerAscii(email) ?? email.trim().normalize("NFC").toLowerCase();
}
var SETTINGS_SOURCE = /* @__PURE__ */ Symbol("settings source");
function fieldAt(entity, field, asKey = false) {
  const at2 = entity.at;
  if (at2 instanceof EntityLocation) return at2.field(field, asKey);
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
  const duplicate = (kind, key, first, at2, list, index2) => problems.push({
    severity: "error",
    code: "duplicate",
    message: `duplicate ${kind} "${key}": declared at ${formatLocation(first)} and at ${formatLocation(at2)}`,
    at: at2,
    path: `${list}[${index2}]`
  });
  const claim = (kind, key, at2, list, index2) => {
    let ofKind = seen.get(kind);
    if (!ofKind) seen.set(kind, ofKind = /* @__PURE__ */ new Map());
    const first = ofKind.get(key);
    if (first) {
      duplicate(kind, key, first, at2, list, index2);
      return false;
    }
    ofKind.set(key, at2);
    return true;
  };
  const files = [];
  const usersByEmail2 = /* @__PURE__ */ new Map();
  const add = ({ file, value, locations }) => {
    files.push(file);
    if (value.settings) {
      const at2 = locations.at("/settings" + KEY_SUFFIX);
      settingsSeen.push(at2);
      if (settingsSeen.length > 1) {
        problems.push({
          severity: "error",
          code: "settings.duplicate",
          message: `settings are declared more than once: at ${formatLocation(settingsSeen[0])} and at ${formatLocation(at2)}; keep them in one fragment`,
          at: at2,
          path: "settings"
        });
      } else {
        settings = resolveSettings(value.settings);
        settingsAt = at2;
        Object.defineProperty(settings, SETTINGS_SOURCE, { value: locations });
      }
    }
    value.organizations?.forEach((o, i) => {
      const at2 = locations.item("organizations", i);
      if (claim("organization", o.name, at2, "organizations", i)) out.organizations.push({ name: o.name, ...o.displayName !== void 0 && { displayName: o.displayName }, at: at2 });
    });
    value.roles?.forEach((r2, i) => {
      const at2 = locations.item("roles", i);
      if (claim("role", r2.name, at2, "roles", i)) {
        out.roles.push({
          name: r2.name,
          ...r2.description !== void 0 && { description: r2.description },
          owner: r2.owner ?? false,
          admin: (r2.admin ?? false) || (r2.owner ?? false),
          ...r2.permissions !== void 0 && { permissions: sortedPermissions(r2.permissions) },
          at: at2
        });
      }
    });
    value.workspaces?.forEach((w, i) => {
      const at2 = locations.item("workspaces", i);
      if (claim("workspace", w.name, at2, "workspaces", i)) {
        out.workspaces.push({ name: w.name, organization: w.organization ?? null, ...w.description !== void 0 && { description: w.description }, previously: w.previously ?? [], at: at2 });
      }
    });
    value.projects?.forEach((p2, i) => {
      const at2 = locations.item("projects", i);
      if (claim("project", p2.name, at2, "projects", i)) {
        out.projects.push({ name: p2.name, organization: p2.organization ?? null, owner: normalizeEmail(p2.owner), ...p2.description !== void 0 && { description: p2.description }, at: at2 });
      }
    });
    value.packages?.forEach((p2, i) => {
      const at2 = locations.item("packages", i);
      if (claim("package", p2.name, at2, "packages", i)) {
        out.packages.push({ name: p2.name, ...p2.createdBy !== void 0 && { createdBy: normalizeEmail(p2.createdBy) }, ...p2.description !== void 0 && { description: p2.description }, at: at2 });
      }
    });
    value.users?.forEach((u, i) => {
      const at2 = locations.item("users", i);
      const email = normalizeEmail(u.email);
      const first = usersByEmail2.get(email);
      if (first) {
        duplicate("user", email, first.at, at2, "users", i);
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
        at: at2
      };
      out.users.push(user);
      usersByEmail2.set(email, user);
    });
    value.credits?.forEach((c, i) => {
      const at2 = locations.item("credits", i);
      if (!claim("credit grant", c.id, at2, "credits", i)) return;
      const to = typeof c.to === "string" ? normalizeEmail(c.to) : c.to;
      out.credits.push({ id: c.id, to, amount: c.amount, kind: c.kind ?? "awarded", reason: c.reason, at: at2 });
    });
  };
  const finish = (digest2) => {
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
      digest: digest2
    };
    resolveOrganizations(declaration, problems);
    rememberUsers(declaration, usersByEmail2);
    return { declaration, problems };
  };
  return { add, finish };
}
function resolveSettings(s) {
  const d2 = DEFAULT_SETTINGS;
  const policies = {};
  if (s.policies?.signupCredits !== void 0) policies.signupCredits = s.policies.signupCredits;
  if (s.policies?.lowBalanceThreshold !== void 0) policies.lowBalanceThreshold = s.policies.lowBalanceThreshold;
  if (s.policies?.creditExpiryDays !== void 0) policies.creditExpiryDays = s.policies.creditExpiryDays;
  return {
    provider: s.provider ?? d2.provider,
    organization: s.organization ?? null,
    unmanaged: s.unmanaged ?? d2.unmanaged,
    removal: s.removal ?? d2.removal,
    exclude: (s.exclude ?? []).map(normalizeEmail).sort(),
    guards: {
      maxRemovalPercent: s.guards?.maxRemovalPercent ?? d2.guards.maxRemovalPercent,
      minAdmins: s.guards?.minAdmins ?? d2.guards.minAdmins,
      privilegedCreditAmount: s.guards?.privilegedCreditAmount ?? d2.guards.privilegedCreditAmount
    },
    approvals: {
      privileged: s.approvals?.privileged ? { minApprovals: s.approvals.privileged.minApprovals ?? 1, approvers: [...s.approvals.privileged.approvers] } : null
    },
    policies
  };
}
function resolveOrganizations(d2, problems) {
  if (d2.organizations.length === 0) return;
  const declared = d2.settings.organization !== null && d2.organizations.some((o) => o.name === d2.settings.organization);
  if (d2.settings.organization !== null && !declared) return;
  const fallback = d2.settings.organization ?? (d2.organizations.length === 1 ? d2.organizations[0].name : null);
  const resolve3 = (kind, entity, label) => {
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
  for (const u of d2.users) resolve3("user", u, u.email);
  for (const w of d2.workspaces) resolve3("workspace", w, w.name);
  for (const p2 of d2.projects) resolve3("project", p2, p2.name);
}
function sortedRecord(record) {
  let previous;
  for (const key in record) {
    if (previous !== void 0 && previous >= key) return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a < b ? -1 : 1));
    previous = key;
  }
  return record;
}
function sortedPermissions(p2) {
  return Object.fromEntries(
    Object.entries(p2).sort(([a], [b]) => a < b ? -1 : 1).map(([k, v]) => [k, [...v].sort()])
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
function checkCapabilities(d2) {
  const caps = CAPABILITIES[d2.settings.provider];
  const problems = [];
  const cannot = new Set(caps.cannotHold);
  const report = (entity, message, at2) => problems.push({ severity: "error", code: "provider.capability", message: `${entity}: the ${caps.name} provider ${message}`, ...at2 && { at: at2 } });
  const check = (feature, used, entity, at2) => {
    if (used && cannot.has(feature)) report(entity, `cannot hold ${feature}`, at2());
  };
  for (const c of d2.credits) check("credit grants", true, `credit grant ${c.id}`, () => c.at);
  for (const p2 of d2.projects) check("projects", true, `project ${p2.name}`, () => p2.at);
  for (const p2 of d2.packages) check("packages", true, `package ${p2.name}`, () => p2.at);
  for (const key of Object.keys(d2.settings.policies)) check("credit policies", true, `settings.policies.${key}`, () => fieldAt(d2.settings, `policies/${key}`, true));
  for (const o of d2.organizations) check("organization display names", o.displayName !== void 0, `organization ${o.name}`, () => fieldAt(o, "displayName", true));
  for (const r2 of d2.roles) check("role permissions", r2.permissions !== void 0, `role ${r2.name}`, () => fieldAt(r2, "permissions", true));
  for (const w of d2.workspaces) check("workspace descriptions", w.description !== void 0, `workspace ${w.name}`, () => fieldAt(w, "description", true));
  const userChecks = USER_FEATURES.filter(([feature]) => cannot.has(feature));
  const limitedRoles = POSTGRES_CAPABILITIES.workspaceRoles.some((role) => !caps.workspaceRoles.includes(role));
  const logins = /* @__PURE__ */ new Map();
  if (userChecks.length || limitedRoles || caps.needsGithubLogin) {
    for (const u of d2.users) {
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
  if (caps.maxOrganizations !== null && d2.organizations.length > caps.maxOrganizations) {
    for (const o of d2.organizations.slice(caps.maxOrganizations)) report(`organization ${o.name}`, `holds ${caps.maxOrganizations} organization (ROSTER_GITHUB_ORG); declare only one`, o.at);
  }
  if (caps.twoRoles) {
    const admins = d2.roles.filter((r2) => r2.admin);
    const others = d2.roles.filter((r2) => !r2.admin);
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
var err = (code, message, at2) => ({ severity: "error", code, message, ...at2 && { at: at2 } });
var warn = (code, message, at2) => ({ severity: "warning", code, message, ...at2 && { at: at2 } });
var hasAccess = (u) => u.status === "active" || u.status === "invited";
var effectivelyActive = (u, today) => hasAccess(u) && !(u.expires !== void 0 && u.expires < today);
var names = (list) => new Set(list.map((x) => x.name));
var references = (d2) => {
  const problems = [];
  const roles = names(d2.roles);
  const orgs = names(d2.organizations);
  const workspaces = new Map(d2.workspaces.map((w) => [w.name, w]));
  const projects = new Map(d2.projects.map((p2) => [p2.name, p2]));
  const packages = names(d2.packages);
  const users = usersByEmail(d2);
  const missing = (kind, name2, where, at2, known) => {
    const hint = !known.size ? ` (no ${kind}s are declared)` : kind === "user" ? "" : didYouMean(name2, known.keys());
    problems.push(err(`ref.${kind}`, `${where} refers to ${kind} "${name2}", which is not declared${hint}`, at2));
  };
  const checkOrg = (org, where, entity) => {
    if (org !== null && !orgs.has(org)) missing("organization", org, where, fieldAt(entity, "organization") ?? void 0, orgs);
  };
  if (d2.settings.organization && !orgs.has(d2.settings.organization)) {
    missing("organization", d2.settings.organization, "settings.organization", fieldAt(d2.settings, "organization"), orgs);
  }
  for (const w of d2.workspaces) checkOrg(w.organization, `workspace ${w.name}`, w);
  for (const p2 of d2.projects) {
    checkOrg(p2.organization, `project ${p2.name}`, p2);
    const owner = users.get(p2.owner);
    if (!owner) missing("user", p2.owner, `owner of project ${p2.name}`, fieldAt(p2, "owner"), users);
  }
  for (const pkg of d2.packages) {
    if (pkg.createdBy && !users.has(pkg.createdBy)) missing("user", pkg.createdBy, `createdBy of package ${pkg.name}`, fieldAt(pkg, "createdBy"), users);
  }
  for (const u of d2.users) {
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
      const p2 = projects.get(assigned[i]);
      if (!p2) missing("project", assigned[i], `user ${u.email}`, fieldAt(u, `projects/${i}`), projects);
      else if (p2.organization !== u.organization) {
        problems.push(err("ref.project-organization", `user ${u.email} (organization ${u.organization}) cannot be assigned project ${assigned[i]} of organization ${p2.organization}`, fieldAt(u, `projects/${i}`)));
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
  for (const c of d2.credits) {
    const miss = dangling(c.to);
    if (miss) missing(miss[0], miss[1], `credit grant ${c.id}`, fieldAt(c, "to"), miss[2]);
  }
  return problems;
};
var projectOwners = (d2, { today }) => {
  const users = usersByEmail(d2);
  const problems = [];
  for (const p2 of d2.projects) {
    const owner = users.get(p2.owner);
    if (!owner) continue;
    const at2 = () => fieldAt(p2, "owner");
    if (!effectivelyActive(owner, today)) {
      const state = hasAccess(owner) ? `expired on ${owner.expires}` : owner.status;
      problems.push(err("project.owner-inactive", `project ${p2.name} is owned by ${p2.owner}, who is ${state}: assign a new owner from organization ${p2.organization} first`, at2()));
    } else if (owner.organization !== p2.organization) {
      problems.push(
        err("project.owner-organization", `project ${p2.name} (organization ${p2.organization}) is owned by ${p2.owner} of organization ${owner.organization}: move the project too, or assign a new owner from ${p2.organization}`, at2())
      );
    }
  }
  return problems;
};
var excluded = (d2) => {
  const exclude = new Set(d2.settings.exclude);
  if (exclude.size === 0) return [];
  const problems = [];
  const report = (email, where, at2) => problems.push(err("exclude.referenced", `${where} refers to ${email}, which settings.exclude keeps out of roster's hands: remove one or the other`, at2));
  for (const u of d2.users) if (exclude.has(u.email)) report(u.email, "a user entry", fieldAt(u, "email"));
  for (const p2 of d2.projects) if (exclude.has(p2.owner)) report(p2.owner, `project ${p2.name}`, fieldAt(p2, "owner"));
  for (const p2 of d2.packages) if (p2.createdBy && exclude.has(p2.createdBy)) report(p2.createdBy, `package ${p2.name}`, fieldAt(p2, "createdBy"));
  for (const c of d2.credits) if (typeof c.to === "string" && exclude.has(c.to)) report(c.to, `credit grant ${c.id}`, fieldAt(c, "to"));
  return problems;
};
var renames = (d2) => {
  const problems = [];
  const current = names(d2.workspaces);
  const claimedBy = /* @__PURE__ */ new Map();
  for (const w of d2.workspaces) {
    w.previously.forEach((old, i) => {
      const at2 = () => fieldAt(w, `previously/${i}`);
      if (old === w.name) problems.push(err("workspace.rename-self", `workspace ${w.name} lists its own name in previously`, at2()));
      else if (current.has(old)) problems.push(err("workspace.rename-taken", `workspace ${w.name} was previously "${old}", but a workspace ${old} is also declared`, at2()));
      else if (claimedBy.has(old)) problems.push(err("workspace.rename-twice", `workspaces ${claimedBy.get(old)} and ${w.name} both claim to have been "${old}"`, at2()));
      else claimedBy.set(old, w.name);
    });
  }
  return problems;
};
var credits = (d2, { today }) => {
  const problems = [];
  const users = usersByEmail(d2);
  for (const c of d2.credits) {
    if (c.id.startsWith("signup:")) {
      problems.push(err("credit.reserved-id", `credit grant ${c.id}: ids starting with "signup:" are reserved for signup credits (settings.policies.signupCredits)`, fieldAt(c, "id")));
    }
    if (typeof c.to === "string") {
      const u = users.get(c.to);
      if (u && !effectivelyActive(u, today)) problems.push(warn("credit.inactive-user", `credit grant ${c.id} goes to ${c.to}, who is ${u.status === "inactive" || u.status === "suspended" ? u.status : "expired"}`, fieldAt(c, "to")));
    } else {
      const to = c.to;
      if (!d2.users.some((u) => effectivelyActive(u, today) && matchesSelector(u, to))) problems.push(warn("credit.matches-nobody", `credit grant ${c.id} matches no active user: applying it now would credit nobody and seal it`, fieldAt(c, "to")));
    }
  }
  return problems;
};
var contractors = (d2, { today }) => d2.users.filter((u) => hasAccess(u) && u.expires !== void 0 && u.expires < today).map((u) => warn("user.expired", `user ${u.email} expired on ${u.expires}: the plan deactivates them; remove the user or extend expires`, fieldAt(u, "expires")));
var homoglyphs = (d2) => {
  const problems = [];
  const others = d2.users.filter((u) => !isAscii(u.email));
  if (others.length === 0) return problems;
  const ascii = new Set(d2.users.filter((u) => isAscii(u.email)).map((u) => u.email));
  for (const u of others) {
    const look = skeleton(u.email);
    const twin = ascii.has(look) ? look : void 0;
    if (twin) problems.push(warn("user.homoglyph", `user ${u.email} looks like ${twin} but is a different address (non-ASCII letters); check it is not an impersonation`, fieldAt(u, "email")));
    else if (mixesScripts(u.email)) problems.push(warn("user.mixed-script", `user ${u.email} mixes Latin with Cyrillic or Greek letters and looks like ${skeleton(u.email)}; check it is the intended address`, fieldAt(u, "email")));
  }
  return problems;
};
var ownerRoles = (d2) => {
  const owners = d2.roles.filter((r2) => r2.owner);
  if (owners.length === 0 || d2.users.length === 0) return [];
  const ownerNames = new Set(owners.map((r2) => r2.name));
  if (d2.users.some((u) => hasAccess(u) && ownerNames.has(u.role))) return [];
  return [warn("role.no-owner", `no active user holds an owner role (${[...ownerNames].join(", ")})`, owners[0].at)];
};
function matchesSelector(user, to) {
  if ("role" in to) return user.role === to.role;
  if ("workspace" in to) return user.workspaces !== void 0 && to.workspace in user.workspaces;
  if ("organization" in to) return user.organization === to.organization;
  return true;
}
var RULES = [references, projectOwners, excluded, renames, credits, contractors, ownerRoles, homoglyphs, checkCapabilities];
function checkRules(d2, ctx) {
  return RULES.flatMap((rule) => rule(d2, ctx));
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
  const p2 = err2.params;
  if (err2.propertyName !== void 0 && err2.keyword !== "propertyNames") {
    const key = `${pointer}/${escapePointer(err2.propertyName)}`;
    const what = err2.keyword === "pattern" ? patternMessage(err2.schemaPath) : err2.message ?? "is invalid";
    return { code: `key-${err2.keyword}`, message: `key "${err2.propertyName}" ${what}`, pointer, locateAt: key + KEY_SUFFIX };
  }
  switch (err2.keyword) {
    case "additionalProperties": {
      const key = String(p2.additionalProperty);
      const allowed = allowedKeys(pointer);
      const hint = didYouMean(key, allowed) || (allowed.length ? ` (allowed: ${allowed.join(", ")})` : "");
      const child = `${pointer}/${escapePointer(key)}`;
      return { code: "unknown-key", message: `unknown key "${key}"${hint}`, pointer: child, locateAt: child + KEY_SUFFIX };
    }
    case "required":
      return { code: "required", message: `missing required key "${String(p2.missingProperty)}"`, pointer };
    case "type":
      return { code: "type", message: `must be ${article(String(p2.type))}`, pointer };
    case "enum": {
      const allowed = p2.allowedValues.map(String);
      return { code: "enum", message: `must be one of: ${allowed.join(", ")}`, pointer };
    }
    case "const":
      return { code: "const", message: `must be ${JSON.stringify(p2.allowedValue)}`, pointer };
    case "pattern":
      return { code: "pattern", message: patternMessage(err2.schemaPath), pointer };
    case "format":
      return { code: "format", message: p2.format === "date" ? "is not a valid date (YYYY-MM-DD, a day that exists)" : `must be a valid ${String(p2.format)}`, pointer };
    case "minimum":
    case "maximum":
      return { code: "range", message: `must be ${err2.keyword === "minimum" ? "at least" : "at most"} ${String(p2.limit)}`, pointer };
    case "minLength":
    case "maxLength":
      return { code: "length", message: `must be ${err2.keyword === "minLength" ? "at least" : "at most"} ${String(p2.limit)} characters long`, pointer };
    case "minItems":
      return { code: "length", message: `must have at least ${String(p2.limit)} item(s)`, pointer };
    case "uniqueItems":
      return { code: "unique", message: `items ${String(p2.j)} and ${String(p2.i)} are the same`, pointer: `${pointer}/${String(p2.i)}` };
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
function loadDeclaration(dir2, options) {
  let last = performance.now();
  const lap = (phase) => {
    const now = performance.now();
    if (options.timings) options.timings[phase] = (options.timings[phase] ?? 0) + now - last;
    last = now;
  };
  const read2 = readFragments(dir2, options.cwd);
  lap("read");
  const problems = [...read2.problems];
  const merger = createMerger();
  const parsedBy = { fast: [], precise: [], located: { regions: 0, files: 0 } };
  for (const { file, text } of read2.fragments) {
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
  const merged = merger.finish(filesDigest(read2.fragments));
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

// src/util/canonical.ts
import { createHash as createHash2 } from "node:crypto";
function canonicalJson(value) {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== void 0).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
function sha256(text) {
  return `sha256:${createHash2("sha256").update(text).digest("hex")}`;
}
var PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
var quote = (s) => PLAIN_STRING.test(s) ? `"${s}"` : JSON.stringify(s);
function alreadyCanonical(v) {
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === void 0) return true;
  if (typeof v !== "object") return false;
  if (Array.isArray(v)) {
    for (const item of v) if (item === void 0 || !alreadyCanonical(item)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  let previous;
  for (const key in v) {
    if (previous !== void 0 && previous >= key) return false;
    previous = key;
    if (!alreadyCanonical(v[key])) return false;
  }
  return true;
}
function digest(value) {
  const hash = createHash2("sha256");
  let text = "";
  const write = (v) => {
    if (typeof v === "string") text += quote(v);
    else if (typeof v === "number") text += Number.isFinite(v) ? String(v) : "null";
    else if (typeof v === "boolean") text += v ? "true" : "false";
    else if (v === null || typeof v !== "object") text += "null";
    else {
      if (Array.isArray(v)) {
        text += "[";
        for (let i = 0; i < v.length; i++) {
          if (i > 0) text += ",";
          const item = v[i];
          if (item !== null && typeof item === "object" && !Array.isArray(item) && alreadyCanonical(item)) text += JSON.stringify(item);
          else write(item);
        }
        text += "]";
      } else {
        const keys = Object.keys(v).sort();
        text += "{";
        let first = true;
        for (const key of keys) {
          const member = v[key];
          if (member === void 0) continue;
          text += first ? `${quote(key)}:` : `,${quote(key)}:`;
          first = false;
          write(member);
        }
        text += "}";
      }
    }
    if (text.length >= 1 << 16) {
      hash.update(text);
      text = "";
    }
  };
  write(value);
  hash.update(text);
  return `sha256:${hash.digest("hex")}`;
}

// src/plan/context.ts
var at = (loc) => formatLocation(loc);
function addStep(ctx, kind, key, before, after, reason, source, risk = [], requires = []) {
  const step = { kind, key, before, after, reason, source: typeof source === "string" ? source : at(source), risk };
  if (requires.length) step.requires = requires;
  ctx.steps.push(step);
  return step;
}
function same(a, b) {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return true;
  if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
  return JSON.stringify(x) === JSON.stringify(y);
}
function changedFields(desired, live2) {
  let changes = null;
  for (const k in desired) {
    const v = desired[k];
    if (v === void 0 || same(v, live2[k])) continue;
    changes ??= { before: {}, after: {} };
    changes.before[k] = live2[k] ?? null;
    changes.after[k] = v;
  }
  return changes;
}
var REMOVED = "not in the declaration";

// src/plan/users.ts
function desiredStatus(u, today) {
  if (hasAccess(u) && u.expires !== void 0 && u.expires < today) return { status: "inactive", expired: true };
  return { status: u.status, expired: false };
}
var accessAfter = (u, today) => hasAccess(u) && !(u.expires !== void 0 && u.expires < today);
var fieldsDiffer = (u, l) => u.role !== l.role || u.name !== void 0 && u.name !== l.name || u.department !== void 0 && u.department !== l.department || u.expires !== void 0 && u.expires !== l.expires;
function privilegedRoles(ctx) {
  const roles = /* @__PURE__ */ new Set();
  for (const r2 of ctx.d.roles) if (r2.admin || r2.owner) roles.add(r2.name);
  for (const r2 of ctx.live.roles) if ((r2.admin || r2.owner) && !ctx.d.roles.some((x) => x.name === r2.name)) roles.add(r2.name);
  return roles;
}
function liveWorkspacesOf(ctx, l) {
  if (ctx.renamed.size === 0) return l.workspaces;
  return Object.fromEntries(Object.entries(l.workspaces).map(([ws, role]) => [ctx.renamed.get(ws) ?? ws, role]));
}
function planUsers(ctx) {
  const { d: d2, live: live2, today } = ctx;
  const { liveUsers } = ctx;
  const privileged = privilegedRoles(ctx);
  const signupCredits = d2.settings.policies.signupCredits ?? live2.policies.signupCredits ?? 0;
  for (const u of d2.users) {
    const l = liveUsers.get(u.email);
    if (l && l.managed && !fieldsDiffer(u, l) && u.organization === l.organization && hasAccess(l) === accessAfter(u, today) && (hasAccess(l) || u.status === l.status) && u.resendInvitation === void 0) {
      planAssignments(ctx, u, l);
      continue;
    }
    const key = `user:${u.email}`;
    const source = u.at;
    const { status, expired } = desiredStatus(u, today);
    if (!l && live2.absentIsInactive && !hasAccess({ status })) continue;
    const roleRisk = privileged.has(u.role) ? ["privileged"] : [];
    if (!l) {
      addStep(
        ctx,
        "user.create",
        key,
        null,
        {
          email: u.email,
          name: u.name ?? null,
          role: u.role,
          // Access is granted through an invitation the platform sends; accepting it makes the user active.
          status: hasAccess({ status }) ? "invited" : status,
          organization: u.organization,
          department: u.department ?? null,
          expires: u.expires ?? null,
          invitationKey: u.resendInvitation ?? null,
          signupCredits
        },
        "declared; the platform sends an invitation",
        source,
        roleRisk
      );
    } else {
      const diff = changedFields({ name: u.name, role: u.role, department: u.department, expires: u.expires }, { name: l.name, role: l.role, department: l.department, expires: l.expires });
      const risk = diff && "role" in diff.after && privileged.has(u.role) ? ["privileged"] : [];
      if (!l.managed) {
        addStep(ctx, "user.adopt", key, { email: u.email, managed: false, ...diff?.before }, { email: u.email, managed: true, ...diff?.after }, "declared; roster takes over managing this user", source, risk);
      } else if (diff) {
        addStep(ctx, "user.update", key, { email: u.email, ...diff.before }, { email: u.email, ...diff.after }, describeChange(diff.after), source, risk);
      }
      if (u.organization !== l.organization) {
        addStep(ctx, "user.transfer", key, { email: u.email, organization: l.organization }, { email: u.email, organization: u.organization }, `moves to organization ${u.organization}`, source);
      }
      planStatus(ctx, u, l, status, expired, source);
      if (u.resendInvitation !== void 0 && l.status === "invited" && hasAccess({ status }) && l.invitationKey !== u.resendInvitation) {
        addStep(ctx, "invitation.resend", `invitation:${u.email}`, { email: u.email, invitationKey: l.invitationKey }, { email: u.email, invitationKey: u.resendInvitation }, "resendInvitation changed", source, [], [key]);
      }
    }
    planAssignments(ctx, u, l);
  }
  planUndeclared(ctx);
}
function describeChange(after) {
  const fields = Object.keys(after).filter((k) => k !== "email");
  return `declared ${fields.join(", ")} ${fields.length === 1 ? "differs" : "differ"}`;
}
function planStatus(ctx, u, l, status, expired, source) {
  const key = `user:${u.email}`;
  const before = { email: u.email, status: l.status };
  if (hasAccess({ status })) {
    if (!hasAccess(l)) addStep(ctx, "user.reactivate", key, before, { email: u.email, status }, `declared ${status}`, source);
  } else if (status !== l.status) {
    const kind = status === "suspended" ? "user.suspend" : "user.deactivate";
    const reason = expired ? `contract ended: expires ${u.expires}` : `declared ${status}`;
    addStep(ctx, kind, key, before, { email: u.email, status }, reason, source, kind === "user.deactivate" ? ["destructive"] : []);
  }
}
function planAssignments(ctx, u, l) {
  const userKey = `user:${u.email}`;
  const source = u.at;
  if (u.workspaces !== void 0) {
    const have = l ? liveWorkspacesOf(ctx, l) : {};
    for (const ws in u.workspaces) {
      const role = u.workspaces[ws];
      if (have[ws] === role) continue;
      addStep(ctx, "membership.set", `membership:${ws}:${u.email}`, have[ws] ? { workspace: ws, user: u.email, role: have[ws] } : null, { workspace: ws, user: u.email, role }, have[ws] ? `workspace role ${have[ws]} -> ${role}` : `joins ${ws} as ${role}`, source, role === "admin" ? ["privileged"] : [], [userKey, `workspace:${ws}`]);
    }
    for (const ws in have) {
      if (ws in u.workspaces) continue;
      addStep(ctx, "membership.remove", `membership:${ws}:${u.email}`, { workspace: ws, user: u.email, role: have[ws] }, null, `not in ${u.email}'s declared workspaces`, source, ["destructive"]);
    }
  }
  if (u.projects !== void 0) planList(ctx, u, userKey, PROJECTS, u.projects, l?.projects ?? []);
  if (u.packages !== void 0) planList(ctx, u, userKey, PACKAGES, u.packages, l?.packages ?? []);
}
var PROJECTS = { field: "projects", assign: "project.assign", unassign: "project.unassign", keyType: "project" };
var PACKAGES = { field: "packages", assign: "package.assign", unassign: "package.unassign", keyType: "package" };
function planList(ctx, u, userKey, list, declared, live2) {
  for (const name2 of declared) {
    if (live2.includes(name2)) continue;
    addStep(ctx, list.assign, `${list.keyType}-assignment:${name2}:${u.email}`, null, { [list.keyType]: name2, user: u.email }, `assigned ${list.keyType} ${name2}`, u.at, [], [userKey, `${list.keyType}:${name2}`]);
  }
  for (const name2 of live2) {
    if (declared.includes(name2)) continue;
    addStep(ctx, list.unassign, `${list.keyType}-assignment:${name2}:${u.email}`, { [list.keyType]: name2, user: u.email }, null, `not in ${u.email}'s declared ${list.field}`, u.at, ["destructive"]);
  }
}
function planUndeclared(ctx) {
  const { removal, unmanaged } = ctx.d.settings;
  for (const l of ctx.undeclaredLive) {
    const key = `user:${l.email}`;
    if (l.managed) {
      if (removal === "delete") {
        addStep(ctx, "user.delete", key, { email: l.email, status: l.status, role: l.role, organization: l.organization }, null, "removed from the declaration (settings.removal: delete); ledger rows are kept anonymised", REMOVED, ["destructive", "privileged"]);
      } else if (l.status !== "inactive") {
        addStep(ctx, "user.deactivate", key, { email: l.email, status: l.status }, { email: l.email, status: "inactive" }, "removed from the declaration (settings.removal: deactivate)", REMOVED, ["destructive"]);
      }
    } else if (unmanaged === "report") {
      ctx.unmanaged.push(l.email);
    } else if (unmanaged === "deactivate" && l.status !== "inactive") {
      addStep(ctx, "user.deactivate", key, { email: l.email, status: l.status }, { email: l.email, status: "inactive" }, "not declared and not managed (settings.unmanaged: deactivate)", "not declared", ["destructive"]);
    }
  }
}

// src/plan/credits.ts
var SIGNUP_PREFIX = "signup:";
function planCredits(ctx) {
  const { d: d2, live: live2, today } = ctx;
  const applied = new Map(live2.grants.map((g) => [g.id, g]));
  const balances = { awarded: /* @__PURE__ */ new Map(), purchased: /* @__PURE__ */ new Map() };
  for (const g of live2.grants) {
    const ofKind = balances[g.kind];
    for (const e of g.entries) ofKind.set(e.user, (ofKind.get(e.user) ?? 0) + e.amount);
  }
  const { liveUsers } = ctx;
  const creating = new Set(ctx.steps.filter((s) => s.kind === "user.create").map((s) => s.key));
  let members;
  const activeMembers = () => members ??= d2.users.filter((u) => effectivelyActive(u, today)).map((u) => {
    const l = liveUsers.get(u.email);
    return { email: u.email, role: u.role, organization: u.organization, workspaces: u.workspaces ?? (l ? liveWorkspacesOf(ctx, l) : {}) };
  });
  const threshold = d2.settings.guards.privilegedCreditAmount;
  const grant = (id, target, amount, kind, reason, users, source, c) => {
    const ofKind = balances[kind];
    for (const user of users) {
      const next = (ofKind.get(user) ?? 0) + amount;
      if (next < 0) {
        ctx.problems.push({
          severity: "error",
          code: "credit.negative-balance",
          message: `credit grant ${id} would take ${user}'s ${kind} balance to ${next} (it is ${ofKind.get(user) ?? 0})`,
          ...c && { at: fieldAt(c, "amount") ?? c.at }
        });
        return;
      }
    }
    for (const user of users) ofKind.set(user, (ofKind.get(user) ?? 0) + amount);
    const total = Math.abs(amount) * users.length;
    const everyone = typeof target !== "string" && activeMembers().length > 1 && users.length === activeMembers().length;
    const risk = total >= threshold || everyone || typeof target !== "string" && "all" in target ? ["privileged"] : [];
    if (amount < 0) risk.push("destructive");
    ctx.steps.push({
      kind: "credit.grant",
      key: `credit:${id}`,
      before: null,
      after: { id, target, amount, kind, reason, entries: users.map((user) => ({ user, amount })) },
      reason,
      source,
      risk,
      requires: users.map((u) => `user:${u}`).filter((k) => creating.has(k))
    });
  };
  let declaredApplied = 0;
  for (const c of d2.credits) {
    const existing = applied.get(c.id);
    if (existing) {
      declaredApplied++;
      if (existing.amount === c.amount && existing.kind === c.kind && existing.reason === c.reason && (existing.target === c.to || canonicalJson(existing.target) === canonicalJson(c.to))) continue;
      const changed = ["to", "amount", "kind", "reason"].filter((f) => {
        const was = f === "to" ? existing.target : existing[f];
        return was !== c[f] && canonicalJson(was) !== canonicalJson(c[f]);
      });
      if (changed.length) {
        ctx.problems.push({
          severity: "error",
          code: "credit.immutable",
          message: `credit grant ${c.id} was already applied and cannot change (${changed.map((f) => `${f}: ${JSON.stringify(f === "to" ? existing.target : existing[f])} -> ${JSON.stringify(c[f])}`).join(", ")}); restore it and declare a correcting grant`,
          at: fieldAt(c, changed[0]) ?? c.at
        });
      }
      continue;
    }
    const users = typeof c.to === "string" ? [c.to] : activeMembers().filter((u) => matchesSelector(u, c.to)).map((u) => u.email);
    grant(c.id, c.to, c.amount, c.kind, c.reason, users, at(c.at), c);
  }
  const owed = [
    ...ctx.steps.filter((s) => s.kind === "user.create" && s.after?.signupCredits > 0).map((s) => ({ email: s.after.email, amount: s.after.signupCredits, source: s.source })),
    ...live2.users.filter((u) => u.managed && u.signupCredits > 0).map((u) => ({ email: u.email, amount: u.signupCredits, source: "owed since the user was created" }))
  ];
  for (const { email, amount, source } of owed) {
    const id = `${SIGNUP_PREFIX}${email}`;
    if (applied.has(id)) continue;
    grant(id, email, amount, "awarded", "Signup credits", [email], source);
  }
  if (declaredApplied === live2.grants.filter((g) => !g.id.startsWith(SIGNUP_PREFIX)).length) return;
  const declared = new Set(d2.credits.map((c) => c.id));
  for (const g of live2.grants) {
    if (g.id.startsWith(SIGNUP_PREFIX) || declared.has(g.id)) continue;
    ctx.problems.push({
      severity: "warning",
      code: "credit.removed",
      message: `credit grant ${g.id} was applied but is no longer declared; grants are never reversed: declare a correcting grant to undo it`
    });
  }
}

// src/plan/entities.ts
function reconcile(ctx, r2) {
  const byName = new Map(r2.live.map((l) => [l.name, l]));
  const claimed = /* @__PURE__ */ new Set();
  for (const d2 of r2.declared) {
    const key = `${r2.type}:${d2.name}`;
    const source = at(d2.at);
    let l = byName.get(d2.name);
    if (!l && r2.renamedFrom) {
      l = r2.renamedFrom(d2, byName);
      if (l) {
        claimed.add(l.name);
        ctx.renamed.set(l.name, d2.name);
        addStep(ctx, `${r2.type}.rename`, key, { name: l.name }, { name: d2.name }, `renamed from ${l.name}`, source);
      }
    }
    if (l) claimed.add(l.name);
    const desired = r2.desired(d2);
    if (!l) {
      const after = Object.fromEntries(Object.entries({ name: d2.name, ...desired }).map(([k, v]) => [k, v ?? null]));
      addStep(ctx, `${r2.type}.create`, key, null, after, `declared`, source);
      continue;
    }
    const diff = changedFields(desired, r2.current(l));
    if (!l.managed) {
      addStep(ctx, `${r2.type}.adopt`, key, { name: d2.name, managed: false, ...diff?.before }, { name: d2.name, managed: true, ...diff?.after }, "declared; roster takes over managing it", source);
    } else if (diff) {
      addStep(ctx, `${r2.type}.update`, key, { name: d2.name, ...diff.before }, { name: d2.name, ...diff.after }, "declared values differ", source);
    }
  }
  if (!r2.remove) return;
  for (const l of r2.live) {
    if (!l.managed || claimed.has(l.name) || r2.declared.some((d2) => d2.name === l.name)) continue;
    const removal = r2.remove(l);
    if (removal) addStep(ctx, removal.kind, `${r2.type}:${l.name}`, { name: l.name }, null, removal.reason, REMOVED, ["destructive"]);
  }
}
function planEntities(ctx) {
  const { d: d2, live: live2 } = ctx;
  const stillUsing = (field, name2) => d2.users.some((u) => u[field] === name2) || ctx.undeclaredLive.some((u) => u[field] === name2);
  const objects = (kind) => !live2.valueOnly?.includes(kind);
  if (objects("organizations")) reconcile(ctx, {
    type: "organization",
    declared: d2.organizations,
    live: live2.organizations,
    desired: (o) => ({ displayName: o.displayName }),
    current: (l) => ({ displayName: l.displayName }),
    remove: (l) => {
      const inUse = stillUsing("organization", l.name) || live2.workspaces.some((w) => w.organization === l.name) || live2.projects.some((p2) => p2.organization === l.name);
      if (inUse) {
        ctx.problems.push({ severity: "warning", code: "organization.kept", message: `organization ${l.name} is no longer declared but still has users, workspaces or projects; it is kept` });
        return void 0;
      }
      return { kind: "organization.delete", reason: "no longer declared and empty" };
    }
  });
  if (objects("roles")) reconcile(ctx, {
    type: "role",
    declared: d2.roles,
    live: live2.roles,
    desired: (r2) => ({ description: r2.description, owner: r2.owner, admin: r2.admin, permissions: r2.permissions }),
    current: (l) => ({ description: l.description, owner: l.owner, admin: l.admin, permissions: l.permissions }),
    remove: (l) => {
      if (stillUsing("role", l.name)) {
        ctx.problems.push({ severity: "warning", code: "role.kept", message: `role ${l.name} is no longer declared but users still hold it; it is kept` });
        return void 0;
      }
      return { kind: "role.delete", reason: "no longer declared and held by nobody" };
    }
  });
  const liveWorkspaces = live2.workspaces;
  reconcile(ctx, {
    type: "workspace",
    declared: d2.workspaces,
    live: liveWorkspaces,
    desired: (w) => ({ organization: w.organization, description: w.description, archived: false }),
    current: (l) => ({ organization: l.organization, description: l.description, archived: l.archived }),
    renamedFrom: (w, byName) => {
      for (const old of w.previously) {
        const l = byName.get(old);
        if (l) return l;
      }
      return void 0;
    },
    remove: (l) => l.archived ? void 0 : { kind: "workspace.archive", reason: "no longer declared; archived with its history" }
  });
  reconcile(ctx, {
    type: "project",
    declared: d2.projects,
    live: live2.projects,
    desired: (p2) => ({ organization: p2.organization, description: p2.description, archived: false }),
    current: (l) => ({ organization: l.organization, description: l.description, archived: l.archived }),
    remove: (l) => l.archived ? void 0 : { kind: "project.archive", reason: "no longer declared; archived with its history" }
  });
  reconcile(ctx, {
    type: "package",
    declared: d2.packages,
    live: live2.packages,
    desired: (p2) => ({ createdBy: p2.createdBy, description: p2.description }),
    current: (l) => ({ createdBy: l.createdBy, description: l.description }),
    remove: () => ({ kind: "package.delete", reason: "no longer declared" })
  });
}
function planProjectOwners(ctx) {
  const liveProjects = new Map(ctx.live.projects.map((p2) => [p2.name, p2]));
  for (const p2 of ctx.d.projects) {
    const current = liveProjects.get(p2.name)?.owner ?? null;
    if (current === p2.owner) continue;
    ctx.steps.push({
      kind: "project.owner",
      key: `project:${p2.name}`,
      before: { project: p2.name, owner: current },
      after: { project: p2.name, owner: p2.owner },
      reason: current ? `ownership moves from ${current}` : "declared owner",
      source: at(p2.at),
      risk: [],
      requires: [`project:${p2.name}`, `user:${p2.owner}`]
    });
  }
}
function planPolicies(ctx) {
  const declared = ctx.d.settings.policies;
  const source = ctx.d.settingsAt ? at(ctx.d.settingsAt) : "settings";
  for (const key of ["signupCredits", "lowBalanceThreshold", "creditExpiryDays"]) {
    const want = declared[key];
    if (want === void 0) continue;
    const have = ctx.live.policies[key];
    if (want !== have) addStep(ctx, "settings.update", `settings:${key}`, { [key]: have }, { [key]: want }, "declared policy differs", source);
  }
}

// src/plan/guards.ts
function checkGuards(ctx) {
  const { d: d2, live: live2, steps, options, today } = ctx;
  const blocks = [];
  const block = (b, overridden) => blocks.push({ ...b, overridden });
  const deletions = steps.filter((s) => s.kind === "user.delete");
  if (deletions.length) {
    block(
      { guard: "delete", message: `${deletions.length} user(s) would be deleted permanently (settings.removal: delete)`, flag: "--allow-delete", keys: deletions.map((s) => s.key) },
      options.allowDelete
    );
  }
  const liveByEmail = ctx.liveUsers;
  const activeBefore = live2.users.filter(hasAccess);
  const removals = steps.filter((s) => (s.kind === "user.deactivate" || s.kind === "user.delete") && hasAccess(liveByEmail.get(s.key.slice(5)) ?? { status: "inactive" }));
  const percent = activeBefore.length ? removals.length / activeBefore.length * 100 : 0;
  if (percent > d2.settings.guards.maxRemovalPercent) {
    block(
      {
        guard: "maxRemovalPercent",
        message: `${removals.length} of ${activeBefore.length} active users (${percent.toFixed(1)}%) would lose access; guards.maxRemovalPercent is ${d2.settings.guards.maxRemovalPercent}%`,
        flag: "--allow-mass-removal",
        keys: removals.map((s) => s.key)
      },
      options.allowMassRemoval
    );
  }
  const declared = ctx.declaredUsers;
  const removed = new Set(removals.map((s) => s.key.slice(5)));
  const afterOf = (email) => {
    const u = declared.get(email);
    if (u) return { role: u.role, access: accessAfter(u, today) };
    const l = liveByEmail.get(email);
    return l && { role: l.role, access: hasAccess(l) && !removed.has(email) };
  };
  const countAfter = (holds) => {
    let n = 0;
    for (const u of d2.users) if (holds(u.role) && accessAfter(u, today)) n++;
    for (const l of ctx.undeclaredLive) if (holds(l.role) && hasAccess(l) && !removed.has(l.email)) n++;
    return n;
  };
  const admins = privilegedRoles(ctx);
  const isAdmin = (role) => role !== null && admins.has(role);
  const adminsBefore = activeBefore.filter((u) => isAdmin(u.role)).length;
  const adminsAfter = countAfter(isAdmin);
  if (adminsAfter < d2.settings.guards.minAdmins && adminsAfter < adminsBefore) {
    block(
      {
        guard: "minAdmins",
        message: `active admins would drop from ${adminsBefore} to ${adminsAfter}; guards.minAdmins is ${d2.settings.guards.minAdmins}`,
        flag: "--allow-owner-change",
        keys: activeBefore.filter((u) => {
          const a = afterOf(u.email);
          return isAdmin(u.role) && !(a && a.access && isAdmin(a.role));
        }).map((u) => `user:${u.email}`)
      },
      options.allowOwnerChange
    );
  }
  const ownerRoles2 = new Set([...d2.roles.filter((r2) => r2.owner), ...live2.roles.filter((r2) => r2.owner)].map((r2) => r2.name));
  if (ownerRoles2.size) {
    const isOwner = (role) => role !== null && ownerRoles2.has(role);
    const ownersBefore = activeBefore.filter((u) => isOwner(u.role));
    const losing = ownersBefore.filter((o) => {
      const a = afterOf(o.email);
      return !(a && a.access && isOwner(a.role));
    });
    if (losing.length) {
      block(
        {
          guard: "ownerChange",
          message: `${losing.map((o) => o.email).join(", ")} would stop being an active owner; owners are only removed with --allow-owner-change`,
          flag: "--allow-owner-change",
          keys: losing.map((o) => `user:${o.email}`)
        },
        options.allowOwnerChange
      );
    }
    if (ownersBefore.length > 0 && countAfter(isOwner) === 0) {
      block({ guard: "lastOwner", message: "no active owner would remain", flag: "--allow-owner-change", keys: losing.map((o) => `user:${o.email}`) }, options.allowOwnerChange);
    }
  }
  return blocks;
}

// src/plan/order.ts
var PHASES = [
  ["organization.create", "organization.adopt", "organization.update"],
  ["role.create", "role.adopt", "role.update"],
  ["workspace.create", "workspace.adopt", "workspace.rename", "workspace.update", "project.create", "project.adopt", "project.update", "package.create", "package.adopt", "package.update"],
  ["settings.update"],
  ["user.create", "user.adopt", "user.update", "user.transfer", "user.reactivate", "user.suspend", "invitation.resend"],
  ["membership.set", "project.assign", "package.assign"],
  ["project.owner"],
  ["credit.grant"],
  ["membership.remove", "project.unassign", "package.unassign"],
  ["user.deactivate", "user.delete"],
  ["project.archive", "workspace.archive", "package.delete", "role.delete", "organization.delete"]
];
var phaseIndex = new Map(PHASES.flatMap((kinds, i) => kinds.map((k) => [k, i])));
var kindIndex = new Map(PHASES.flat().map((k, i) => [k, i]));
function compareSteps(a, b) {
  return kindIndex.get(a.kind) - kindIndex.get(b.kind) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
function actionOf(kind) {
  const verb = kind.slice(kind.indexOf(".") + 1);
  if (["create", "adopt", "set", "assign", "grant"].includes(verb)) return "add";
  if (["delete", "deactivate", "archive", "remove", "unassign"].includes(verb)) return "remove";
  return "change";
}

// src/plan/index.ts
var NO_OVERRIDES = { allowDelete: false, allowMassRemoval: false, allowOwnerChange: false };
function withoutExcluded(live2, exclude) {
  if (exclude.length === 0) return live2;
  const out = new Set(exclude);
  return { ...live2, users: live2.users.filter((u) => !out.has(u.email)) };
}
function plan(d2, liveState, now, options = NO_OVERRIDES) {
  const live2 = withoutExcluded(liveState, d2.settings.exclude);
  const declaredUsers = usersByEmail(d2);
  const ctx = {
    d: d2,
    live: live2,
    today: now.toISOString().slice(0, 10),
    options,
    steps: [],
    problems: [],
    unmanaged: [],
    renamed: /* @__PURE__ */ new Map(),
    liveUsers: new Map(live2.users.map((u) => [u.email, u])),
    declaredUsers,
    undeclaredLive: live2.users.filter((u) => !declaredUsers.has(u.email))
  };
  planEntities(ctx);
  planPolicies(ctx);
  planUsers(ctx);
  planProjectOwners(ctx);
  planCredits(ctx);
  const blocks = checkGuards(ctx);
  const keys = new Set(ctx.steps.map((s) => s.key));
  const steps = ctx.steps.map((s) => {
    const requires = s.requires?.filter((k) => keys.has(k) && k !== s.key);
    const { requires: _omit, ...rest } = s;
    return requires?.length ? { ...rest, requires } : rest;
  }).sort(compareSteps);
  const summary = { add: 0, change: 0, remove: 0 };
  for (const s of steps) summary[actionOf(s.kind)]++;
  const result = {
    formatVersion: 1,
    now: now.toISOString(),
    steps,
    blocks,
    problems: sortProblems(ctx.problems),
    unmanaged: ctx.unmanaged.sort(),
    summary,
    desiredDigest: d2.digest
  };
  return withLiveFingerprint(result, live2);
}
function withLiveFingerprint(result, live2) {
  let state = live2;
  let fingerprint;
  return Object.defineProperty(result, "liveFingerprint", {
    enumerable: true,
    get: () => {
      if (fingerprint === void 0) {
        fingerprint = digest(state);
        state = void 0;
      }
      return fingerprint;
    }
  });
}

// src/providers/postgres/index.ts
import { mkdirSync as mkdirSync2 } from "node:fs";
import { dirname as dirname2, resolve as resolve2 } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

// src/audit/chain.ts
var GENESIS = `sha256:${"0".repeat(64)}`;
function hashEvent(event) {
  return sha256(canonicalJson(event));
}
function chain(draft, previous) {
  const linked = { ...draft, seq: (previous?.seq ?? 0) + 1, prev: previous?.hash ?? GENESIS };
  return { ...linked, hash: hashEvent(linked) };
}

// src/errors.ts
var ExitCode = {
  ok: 0,
  error: 1,
  changes: 2,
  blocked: 3,
  stale: 4,
  locked: 5,
  partial: 6,
  unapproved: 7
};
var RosterError = class extends Error {
  exitCode = ExitCode.error;
};
var ConfigError = class extends RosterError {
};
var LockedError = class extends RosterError {
  exitCode = ExitCode.locked;
};
var ProviderError = class extends RosterError {
  constructor(message, retryable = false) {
    super(message);
    this.retryable = retryable;
  }
  retryable;
};

// src/providers/postgres/lock.ts
import { closeSync, mkdirSync, openSync, readFileSync as readFileSync3, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
var POLL_MS = 100;
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}
async function acquireFileLock(path, timeoutMs, what) {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (; ; ) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, `${process.pid}
`);
      closeSync(fd);
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync3(path, "utf8").trim() === String(process.pid)) unlinkSync(path);
        } catch {
        }
      };
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
    }
    let holder = NaN;
    try {
      holder = Number.parseInt(readFileSync3(path, "utf8"), 10);
    } catch {
      continue;
    }
    if (Number.isInteger(holder) && !alive(holder)) {
      const stale = `${path}.stale.${process.pid}`;
      try {
        renameSync(path, stale);
        const check = Number.parseInt(readFileSync3(stale, "utf8"), 10);
        unlinkSync(stale);
        if (check !== holder) renameSync(stale, path);
      } catch {
      }
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LockedError(`${what} is locked by another roster run (pid ${Number.isInteger(holder) ? holder : "unknown"}); wait for it, or pass --lock-timeout`);
    }
    await sleep(POLL_MS);
  }
}
async function acquireAdvisoryLock(connect, key, timeoutMs) {
  const { sql, end } = await connect();
  const deadline = Date.now() + timeoutMs;
  try {
    for (; ; ) {
      const { rows } = await sql.query(`select pg_try_advisory_lock(hashtext($1)) as locked`, [key]);
      if (rows[0]?.locked) break;
      if (Date.now() >= deadline) throw new LockedError(`the PostgreSQL store is locked by another roster apply; wait for it, or pass --lock-timeout`);
      await sleep(POLL_MS * 5);
    }
  } catch (e) {
    await end();
    throw e;
  }
  return async () => {
    await sql.query(`select pg_advisory_unlock(hashtext($1))`, [key]).catch(() => void 0);
    await end();
  };
}

// src/providers/postgres/migrations.ts
var MIGRATIONS = [
  {
    version: 1,
    name: "platform schema",
    sql: `
create table organizations (
  name text primary key,
  display_name text,
  managed boolean not null default false,
  created_at timestamptz not null default now()
);

create table roles (
  name text primary key,
  description text,
  is_owner boolean not null default false,
  is_admin boolean not null default false,
  permissions jsonb not null default '{}'::jsonb,
  managed boolean not null default false
);

create table users (
  email text primary key check (email = lower(email)),
  name text,
  role text references roles (name),
  status text not null check (status in ('active', 'invited', 'inactive', 'suspended')),
  organization text references organizations (name),
  department text,
  expires date,
  managed boolean not null default false,
  -- Signup credits owed at creation; the ledger row signup:<email> pays them exactly once.
  signup_credits bigint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table invitations (
  email text primary key references users (email) on delete cascade,
  invitation_key text,
  sent_count integer not null default 1,
  last_sent_at timestamptz not null default now()
);

create table workspaces (
  name text primary key,
  organization text references organizations (name),
  description text,
  archived boolean not null default false,
  managed boolean not null default false
);

create table workspace_members (
  workspace text not null references workspaces (name) on update cascade,
  email text not null references users (email) on delete cascade,
  role text not null check (role in ('admin', 'member', 'viewer')),
  primary key (workspace, email)
);

create table projects (
  name text primary key,
  organization text references organizations (name),
  owner text references users (email),
  description text,
  archived boolean not null default false,
  managed boolean not null default false
);

create table project_members (
  project text not null references projects (name),
  email text not null references users (email) on delete cascade,
  primary key (project, email)
);

create table packages (
  name text primary key,
  -- No foreign key: the creator keeps seeing the package by this name even while their account changes.
  created_by text,
  description text,
  managed boolean not null default false
);

create table package_assignments (
  package text not null references packages (name) on delete cascade,
  email text not null references users (email) on delete cascade,
  primary key (package, email)
);

create table credit_grants (
  id text primary key,
  target jsonb not null,
  amount bigint not null,
  kind text not null check (kind in ('awarded', 'purchased')),
  reason text not null,
  applied_at timestamptz not null default now()
);

-- The ledger: append-only, one row per grant and user. The primary key is what
-- makes a grant exactly-once however often an apply is repeated.
create table credit_ledger (
  grant_id text not null references credit_grants (id),
  user_email text not null,
  amount bigint not null,
  kind text not null check (kind in ('awarded', 'purchased')),
  created_at timestamptz not null default now(),
  primary key (grant_id, user_email)
);

create table platform_settings (
  key text primary key,
  value jsonb not null
);

create table audit_events (
  seq bigint primary key,
  event jsonb not null,
  prev text not null,
  hash text not null unique
);
`
  },
  {
    version: 2,
    name: "package row-level security (seed 001: admin OR creator OR assigned)",
    sql: `
do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'roster_app') then
    create role roster_app nologin;
  end if;
  execute format('grant usage on schema %I to roster_app', current_schema());
end $$;
grant select on packages, package_assignments, users, roles to roster_app;
alter table packages enable row level security;
alter table packages force row level security;
create policy packages_visible on packages for select using (
  exists (
    select 1 from users u join roles r on r.name = u.role
    where u.email = current_setting('roster.user', true) and r.is_admin and u.status in ('active', 'invited')
  )
  or created_by = current_setting('roster.user', true)
  or exists (
    select 1 from package_assignments a
    where a.package = packages.name and a.email = current_setting('roster.user', true)
  )
);
-- roster itself manages every package.
create policy packages_roster on packages for all to current_user using (true) with check (true);
`
  }
];
async function migrate(sql) {
  await sql.exec(`create table if not exists roster_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`);
  const applied = new Set((await sql.query("select version from roster_migrations")).rows.map((r2) => r2.version));
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    await sql.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.query("insert into roster_migrations (version, name) values ($1, $2)", [m.version, m.name]);
    });
  }
}

// src/providers/postgres/copy-text.ts
var CopyText = class {
  constructor(copy) {
    this.copy = copy;
    this.escaped = /\\[^N]/.test(copy);
  }
  copy;
  at = 0;
  lineEnd = -1;
  /** The field's place in its row, and the last value read at each place by runText. */
  column = 0;
  last = [];
  /** Without any backslash but those of `\N`, no field needs unescaping: the common case, found with one search. */
  escaped;
  /** Moves to the next row; false after the last. */
  next() {
    if (this.lineEnd >= 0) this.at = this.lineEnd + 1;
    if (this.at >= this.copy.length) return false;
    const end = this.copy.indexOf("\n", this.at);
    this.lineEnd = end < 0 ? this.copy.length : end;
    this.column = 0;
    return true;
  }
  /** The row's next field, null for NULL. */
  field() {
    const { copy, at: at2, lineEnd } = this;
    const tab = copy.indexOf("	", at2);
    const end = tab < 0 || tab > lineEnd ? lineEnd : tab;
    this.at = end + 1;
    this.column++;
    if (end - at2 === 2 && copy.charCodeAt(at2) === 92 && copy.charCodeAt(at2 + 1) === 78) return null;
    const value = copy.slice(at2, end);
    return this.escaped && value.includes("\\") ? unescapeField(value) : value;
  }
  /** The row's next field, of a NOT NULL column. */
  text() {
    return this.field();
  }
  /**
   * The next field of a NOT NULL column whose equal values come one after
   * another (the first column of the order): the string of the row before
   * when it is the same, so a run of rows (a workspace's members, a grant's
   * entries) makes one string, and looking it up or using it as a key is
   * as cheap as it gets.
   */
  runText() {
    const { copy, at: at2, column } = this;
    const before = this.last[column];
    if (before !== void 0 && copy.startsWith(before, at2) && (at2 + before.length === this.lineEnd || copy.charCodeAt(at2 + before.length) === 9) && !before.includes("\\")) {
      this.at = at2 + before.length + 1;
      this.column++;
      return before;
    }
    return this.last[column] = this.text();
  }
};
var ESCAPES = { b: "\b", f: "\f", n: "\n", r: "\r", t: "	", v: "\v" };
function unescapeField(field) {
  return field.replace(/\\(.)/gs, (_, c) => ESCAPES[c] ?? c);
}

// src/providers/postgres/read.ts
var TABLES = {
  // Columns in the order of the object keys they become (sorted, see readLiveState).
  users: `select t.department, t.email, to_char(t.expires, 'YYYY-MM-DD'), i.invitation_key, t.managed, t.name, t.organization, t.role, t.signup_credits, t.status
            from users t left join invitations i on i.email = t.email order by t.email`,
  members: "select workspace, email, role from workspace_members order by workspace, email",
  projectMembers: "select project, email from project_members order by project, email",
  assignments: "select package, email from package_assignments order by package, email",
  grants: "select amount, id, kind, reason, target from credit_grants order by id",
  ledger: "select grant_id, amount, user_email from credit_ledger order by grant_id, user_email"
};
var creditTarget = (json) => json.charCodeAt(0) === 34 && !json.includes("\\") ? json.slice(1, -1) : JSON.parse(json);
var ownEmail = (email) => standaloneLowerAscii(email) ?? email;
var read = (tx, query) => tx.copyOut(query).then((text) => new CopyText(text));
async function readLiveState(sql) {
  return sql.transaction(async (tx) => {
    await tx.exec("set transaction isolation level repeatable read, read only");
    await tx.exec("set local enable_sort = off");
    const q = (text) => tx.query(text).then((r2) => r2.rows);
    const organizations = await q('select display_name as "displayName", managed, name from organizations order by name');
    const roles = await q(
      "select is_admin as admin, description, managed, name, is_owner as owner, permissions from roles order by name"
    );
    const workspaces = await q(
      "select archived, description, managed, name, organization from workspaces order by name"
    );
    const projects = await q(
      "select archived, description, managed, name, organization, owner from projects order by name"
    );
    const packages = await q('select created_by as "createdBy", description, managed, name from packages order by name');
    const users = await read(tx, TABLES.users);
    const members = await read(tx, TABLES.members);
    const projectMembers = await read(tx, TABLES.projectMembers);
    const assignments = await read(tx, TABLES.assignments);
    const grants = await read(tx, TABLES.grants);
    const ledger = await read(tx, TABLES.ledger);
    const settings = await q("select key, value from platform_settings");
    const byEmail = /* @__PURE__ */ new Map();
    const liveUsers = [];
    while (users.next()) {
      const user = {
        department: users.field(),
        email: ownEmail(users.text()),
        expires: users.field(),
        invitationKey: users.field(),
        managed: users.text() === "t",
        name: users.field(),
        organization: users.field(),
        packages: [],
        projects: [],
        role: users.field(),
        signupCredits: Number(users.text()),
        status: users.text(),
        workspaces: {}
      };
      byEmail.set(user.email, user);
      liveUsers.push(user);
    }
    while (members.next()) {
      const workspace = members.runText();
      const u = byEmail.get(members.text());
      const role = members.text();
      if (u) u.workspaces[workspace] = role;
    }
    while (projectMembers.next()) {
      const project = projectMembers.runText();
      byEmail.get(projectMembers.text())?.projects.push(project);
    }
    while (assignments.next()) {
      const pkg = assignments.runText();
      byEmail.get(assignments.text())?.packages.push(pkg);
    }
    const grantsById = /* @__PURE__ */ new Map();
    while (grants.next()) {
      const grant2 = { amount: Number(grants.text()), entries: [], id: grants.text(), kind: grants.text(), reason: grants.text(), target: creditTarget(grants.text()) };
      grantsById.set(grant2.id, grant2);
    }
    let grantId;
    let grant;
    while (ledger.next()) {
      const id = ledger.runText();
      if (id !== grantId) grant = grantsById.get(grantId = id);
      const entry = { amount: Number(ledger.text()), user: ledger.text() };
      grant?.entries.push(entry);
    }
    const setting = (key) => {
      const row = settings.find((s) => s.key === key);
      return row === void 0 ? null : row.value;
    };
    return {
      grants: [...grantsById.values()],
      organizations,
      packages,
      policies: { creditExpiryDays: setting("creditExpiryDays"), lowBalanceThreshold: setting("lowBalanceThreshold"), signupCredits: setting("signupCredits") },
      projects,
      roles,
      users: liveUsers,
      workspaces
    };
  });
}

// src/providers/postgres/sql.ts
import { to as copyTo } from "pg-copy-streams";
function pgliteClient(db) {
  return {
    query: async (text, params) => ({ rows: (await db.query(text, params)).rows }),
    exec: async (text) => {
      await db.exec(text);
    },
    transaction: async (fn) => {
      if (!("transaction" in db)) return fn(pgliteClient(db));
      return db.transaction((tx) => fn(pgliteClient(tx)));
    },
    copyOut: async (query) => {
      const result = await db.query(`copy (${query}) to '/dev/blob'`);
      return result.blob ? result.blob.text() : "";
    }
  };
}
function pgClient(conn, inTransaction = false) {
  const withClient = async (fn) => {
    const client = "release" in conn ? conn : await conn.connect();
    try {
      return await fn(client);
    } finally {
      if (client !== conn) client.release();
    }
  };
  return {
    query: async (text, params) => ({ rows: (await conn.query(text, params)).rows }),
    exec: async (text) => {
      await conn.query(text);
    },
    transaction: async (fn) => {
      if (inTransaction) return fn(pgClient(conn, true));
      return withClient(async (client) => {
        try {
          await client.query("begin");
          const result = await fn(pgClient(client, true));
          await client.query("commit");
          return result;
        } catch (e) {
          await client.query("rollback").catch(() => void 0);
          throw e;
        }
      });
    },
    copyOut: (query) => withClient(async (client) => {
      const chunks = [];
      for await (const chunk of client.query(copyTo(`copy (${query}) to stdout`))) chunks.push(chunk);
      return Buffer.concat(chunks).toString("utf8");
    })
  };
}

// src/providers/postgres/write.ts
import { createHash as createHash3 } from "node:crypto";
var name = (step) => step.after?.name ?? step.before?.name;
var COLUMNS = {
  organization: { displayName: "display_name", managed: "managed" },
  role: { description: "description", owner: "is_owner", admin: "is_admin", permissions: "permissions", managed: "managed" },
  workspace: { organization: "organization", description: "description", archived: "archived", managed: "managed" },
  project: { organization: "organization", description: "description", archived: "archived", managed: "managed" },
  package: { createdBy: "created_by", description: "description", managed: "managed" },
  user: { name: "name", role: "role", department: "department", expires: "expires", managed: "managed", status: "status", organization: "organization" }
};
var TABLES2 = { organization: "organizations", role: "roles", workspace: "workspaces", project: "projects", package: "packages", user: "users" };
async function updateColumns(sql, type, keyColumn, key, fields) {
  const sets = [];
  const params = [key];
  for (const [field, value] of Object.entries(fields)) {
    const column = COLUMNS[type][field];
    if (!column) continue;
    params.push(column === "permissions" ? JSON.stringify(value ?? {}) : value);
    sets.push(`${column} = $${params.length}`);
  }
  if (type === "user") sets.push("updated_at = now()");
  if (sets.length === 0) return;
  await sql.query(`update ${TABLES2[type]} set ${sets.join(", ")} where ${keyColumn} = $1`, params);
}
async function writeStep(sql, step) {
  const a = step.after ?? {};
  const b = step.before ?? {};
  const type = step.kind.slice(0, step.kind.indexOf("."));
  switch (step.kind) {
    case "organization.create":
      await sql.query(`insert into organizations (name, display_name, managed) values ($1, $2, true) on conflict (name) do update set display_name = excluded.display_name, managed = true`, [a.name, a.displayName]);
      return;
    case "role.create":
      await sql.query(
        `insert into roles (name, description, is_owner, is_admin, permissions, managed) values ($1, $2, $3, $4, $5, true)
         on conflict (name) do update set description = excluded.description, is_owner = excluded.is_owner, is_admin = excluded.is_admin, permissions = excluded.permissions, managed = true`,
        [a.name, a.description, a.owner ?? false, a.admin ?? false, JSON.stringify(a.permissions ?? {})]
      );
      return;
    case "workspace.create":
      await sql.query(
        `insert into workspaces (name, organization, description, managed) values ($1, $2, $3, true)
         on conflict (name) do update set organization = excluded.organization, description = excluded.description, archived = false, managed = true`,
        [a.name, a.organization, a.description]
      );
      return;
    case "workspace.rename":
      await sql.query(`update workspaces set name = $2 where name = $1 and not exists (select 1 from workspaces where name = $2)`, [b.name, a.name]);
      return;
    case "project.create":
      await sql.query(
        `insert into projects (name, organization, description, managed) values ($1, $2, $3, true)
         on conflict (name) do update set organization = excluded.organization, description = excluded.description, archived = false, managed = true`,
        [a.name, a.organization, a.description]
      );
      return;
    case "package.create":
      await sql.query(
        `insert into packages (name, created_by, description, managed) values ($1, $2, $3, true)
         on conflict (name) do update set created_by = excluded.created_by, description = excluded.description, managed = true`,
        [a.name, a.createdBy, a.description]
      );
      return;
    case "organization.adopt":
    case "organization.update":
    case "role.adopt":
    case "role.update":
    case "workspace.adopt":
    case "workspace.update":
    case "project.adopt":
    case "project.update":
    case "package.adopt":
    case "package.update":
      await updateColumns(sql, type, "name", name(step), a);
      return;
    case "workspace.archive":
    case "project.archive":
      await sql.query(`update ${TABLES2[type]} set archived = true where name = $1`, [b.name]);
      return;
    case "package.delete":
      await sql.query(`delete from packages where name = $1`, [b.name]);
      return;
    case "role.delete":
    case "organization.delete":
      await sql.query(`delete from ${TABLES2[type]} where name = $1 and managed`, [b.name]);
      return;
    case "settings.update": {
      const [key, value] = Object.entries(a)[0];
      await sql.query(`insert into platform_settings (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value`, [key, JSON.stringify(value)]);
      return;
    }
    case "user.create":
      await sql.query(
        `insert into users (email, name, role, status, organization, department, expires, managed, signup_credits) values ($1, $2, $3, $4, $5, $6, $7, true, $8)
         on conflict (email) do nothing`,
        [a.email, a.name, a.role, a.status, a.organization, a.department, a.expires, a.signupCredits ?? 0]
      );
      if (a.status === "invited") {
        await sql.query(`insert into invitations (email, invitation_key) values ($1, $2) on conflict (email) do nothing`, [a.email, a.invitationKey]);
      }
      return;
    case "user.adopt":
    case "user.update":
    case "user.transfer":
    case "user.reactivate":
    case "user.suspend":
    case "user.deactivate":
      await updateColumns(sql, "user", "email", a.email ?? b.email, a);
      return;
    case "invitation.resend":
      await sql.query(
        `insert into invitations (email, invitation_key) values ($1, $2)
         on conflict (email) do update set invitation_key = excluded.invitation_key, sent_count = invitations.sent_count + 1, last_sent_at = now()
         where invitations.invitation_key is distinct from excluded.invitation_key`,
        [a.email, a.invitationKey]
      );
      return;
    case "user.delete": {
      const email = b.email;
      const anonymised = `deleted:${createHash3("sha256").update(email).digest("hex").slice(0, 16)}`;
      await sql.query(`update credit_ledger set user_email = $2 where user_email = $1`, [email, anonymised]);
      await sql.query(`update projects set owner = null where owner = $1`, [email]);
      await sql.query(`delete from users where email = $1`, [email]);
      return;
    }
    case "membership.set":
      await sql.query(`insert into workspace_members (workspace, email, role) values ($1, $2, $3) on conflict (workspace, email) do update set role = excluded.role`, [a.workspace, a.user, a.role]);
      return;
    case "membership.remove":
      await sql.query(`delete from workspace_members where workspace = $1 and email = $2`, [b.workspace, b.user]);
      return;
    case "project.assign":
      await sql.query(`insert into project_members (project, email) values ($1, $2) on conflict do nothing`, [a.project, a.user]);
      return;
    case "project.unassign":
      await sql.query(`delete from project_members where project = $1 and email = $2`, [b.project, b.user]);
      return;
    case "package.assign":
      await sql.query(`insert into package_assignments (package, email) values ($1, $2) on conflict do nothing`, [a.package, a.user]);
      return;
    case "package.unassign":
      await sql.query(`delete from package_assignments where package = $1 and email = $2`, [b.package, b.user]);
      return;
    case "project.owner":
      await sql.query(`update projects set owner = $2 where name = $1`, [a.project, a.owner]);
      return;
    case "credit.grant": {
      const inserted = await sql.query(`insert into credit_grants (id, target, amount, kind, reason) values ($1, $2, $3, $4, $5) on conflict (id) do nothing returning id`, [
        a.id,
        JSON.stringify(a.target),
        a.amount,
        a.kind,
        a.reason
      ]);
      if (inserted.rows.length === 0) return;
      const entries = a.entries;
      if (entries.length) {
        await sql.query(
          `insert into credit_ledger (grant_id, user_email, amount, kind) select $1, u, $3, $4 from unnest($2::text[]) as u on conflict do nothing`,
          [a.id, entries.map((e) => e.user), a.amount, a.kind]
        );
      }
      return;
    }
    default: {
      const unreachable = step.kind;
      throw new ProviderError(`postgres provider cannot apply ${String(unreachable)}`);
    }
  }
}

// src/providers/postgres/batch.ts
var SET_BASED = {
  "user.create": async (sql, steps) => {
    const a = steps.map((s) => s.after);
    await sql.query(
      `insert into users (email, name, role, status, organization, department, expires, managed, signup_credits)
       select email, name, role, status, organization, department, expires, true, signup_credits
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::bigint[])
           as t(email, name, role, status, organization, department, expires, signup_credits)
       on conflict (email) do nothing`,
      [col(a, "email"), col(a, "name"), col(a, "role"), col(a, "status"), col(a, "organization"), col(a, "department"), col(a, "expires"), a.map((x) => x.signupCredits ?? 0)]
    );
    const invited = a.filter((x) => x.status === "invited");
    if (invited.length) {
      await sql.query(`insert into invitations (email, invitation_key) select * from unnest($1::text[], $2::text[]) on conflict (email) do nothing`, [col(invited, "email"), col(invited, "invitationKey")]);
    }
  },
  "membership.set": async (sql, steps) => {
    const a = steps.map((s) => s.after);
    await sql.query(
      `insert into workspace_members (workspace, email, role) select * from unnest($1::text[], $2::text[], $3::text[])
       on conflict (workspace, email) do update set role = excluded.role`,
      [col(a, "workspace"), col(a, "user"), col(a, "role")]
    );
  },
  "project.assign": async (sql, steps) => {
    const a = steps.map((s) => s.after);
    await sql.query(`insert into project_members (project, email) select * from unnest($1::text[], $2::text[]) on conflict do nothing`, [col(a, "project"), col(a, "user")]);
  },
  "package.assign": async (sql, steps) => {
    const a = steps.map((s) => s.after);
    await sql.query(`insert into package_assignments (package, email) select * from unnest($1::text[], $2::text[]) on conflict do nothing`, [col(a, "package"), col(a, "user")]);
  },
  "credit.grant": async (sql, steps) => {
    const a = steps.map((s) => s.after);
    const { rows } = await sql.query(
      `insert into credit_grants (id, target, amount, kind, reason)
       select id, target::jsonb, amount, kind, reason from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[]) as t(id, target, amount, kind, reason)
       on conflict (id) do nothing returning id`,
      [col(a, "id"), a.map((x) => JSON.stringify(x.target)), col(a, "amount"), col(a, "kind"), col(a, "reason")]
    );
    const inserted = new Set(rows.map((r2) => r2.id));
    const entries = a.filter((x) => inserted.has(x.id)).flatMap((x) => x.entries.map((e) => [x.id, e.user, x.amount, x.kind]));
    if (entries.length) {
      await sql.query(
        `insert into credit_ledger (grant_id, user_email, amount, kind) select * from unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) on conflict do nothing`,
        [entries.map((e) => e[0]), entries.map((e) => e[1]), entries.map((e) => e[2]), entries.map((e) => e[3])]
      );
    }
  }
};
var col = (rows, key) => rows.map((r2) => r2[key] ?? null);
async function writeSteps(sql, steps, onWritten) {
  for (let start = 0; start < steps.length; ) {
    const kind = steps[start].kind;
    let end = start + 1;
    while (end < steps.length && steps[end].kind === kind) end++;
    const run = steps.slice(start, end);
    const setBased = SET_BASED[kind];
    if (setBased && run.length > 1) {
      await setBased(sql, run);
      run.forEach(onWritten);
    } else {
      for (const step of run) {
        await writeStep(sql, step);
        onWritten(step);
      }
    }
    start = end;
  }
}

// src/providers/postgres/index.ts
var CAPABILITIES2 = ["organizations", "roles", "workspaces", "projects", "packages", "credits", "policies"];
function redactUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    for (const key of [...u.searchParams.keys()]) if (/pass|secret|token|key/i.test(key)) u.searchParams.set(key, "***");
    return u.toString();
  } catch {
    return "postgres://(unparseable URL)";
  }
}
var PostgresProvider = class _PostgresProvider {
  constructor(sql, info, lockImpl, closeImpl) {
    this.sql = sql;
    this.info = info;
    this.lockImpl = lockImpl;
    this.closeImpl = closeImpl;
    this.auditStore = {
      events: (afterSeq = 0) => readEvents(this.sql, afterSeq),
      append: (drafts) => this.sql.transaction(async (tx) => appendEvents(tx, drafts))
    };
  }
  sql;
  info;
  lockImpl;
  closeImpl;
  auditStore;
  /**
   * Opens the store, creating and migrating it as needed. On PGlite the
   * data dir is locked for the life of the process (two processes on one
   * data dir diverge); on a server, `lock()` takes an advisory lock for applies.
   */
  static async open(config) {
    const lockTimeoutMs = config.lockTimeoutMs ?? 0;
    if (config.pglite) {
      const sql = pgliteClient(config.pglite);
      await migrate(sql);
      return new _PostgresProvider(sql, { name: "postgres", target: "pglite (in memory)", capabilities: CAPABILITIES2 }, async () => async () => void 0, async () => void 0);
    }
    if (config.databaseUrl) return _PostgresProvider.openServer(config.databaseUrl, config.schema ?? "public", lockTimeoutMs);
    const dataDir = resolve2(config.dataDir ?? ".roster/live");
    mkdirSync2(dirname2(dataDir), { recursive: true });
    const release = await acquireFileLock(`${dataDir}.lock`, lockTimeoutMs, `the store ${dataDir}`);
    let db;
    try {
      db = await PGlite.create(dataDir);
      const sql = pgliteClient(db);
      await migrate(sql);
      const opened = db;
      return new _PostgresProvider(sql, { name: "postgres", target: `pglite ${dataDir}`, capabilities: CAPABILITIES2 }, async () => async () => void 0, async () => {
        await opened.close();
        await release();
      });
    } catch (e) {
      await db?.close().catch(() => void 0);
      await release();
      throw e instanceof ProviderError ? e : new ProviderError(`cannot open the embedded store at ${dataDir}: ${e.message}`);
    }
  }
  static async openServer(url, schema, lockTimeoutMs) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new ConfigError(`ROSTER_DATABASE_SCHEMA must be a plain lower-case identifier`);
    const target = redactUrl(url);
    const options = `-c search_path=${schema}`;
    const pool = new pg.Pool({ connectionString: url, options, max: 4 });
    pool.on("error", () => void 0);
    const sql = pgClient(pool);
    const connect = async () => {
      const client = new pg.Client({ connectionString: url, options });
      client.on("error", () => void 0);
      await client.connect();
      return { sql: pgClient(client), end: () => client.end() };
    };
    try {
      const releaseMigrate = await acquireAdvisoryLock(connect, `roster:migrate:${schema}`, 6e4);
      try {
        await sql.exec(`create schema if not exists ${schema}`);
        await migrate(sql);
      } finally {
        await releaseMigrate();
      }
    } catch (e) {
      await pool.end().catch(() => void 0);
      if (e instanceof ProviderError || e instanceof ConfigError) throw e;
      throw new ProviderError(`cannot open the PostgreSQL store at ${target}: ${scrub(e.message, url)}`);
    }
    return new _PostgresProvider(
      sql,
      { name: "postgres", target: `${target} (schema ${schema})`, capabilities: CAPABILITIES2 },
      (timeoutMs) => acquireAdvisoryLock(connect, `roster:apply:${schema}`, timeoutMs || lockTimeoutMs),
      () => pool.end()
    );
  }
  describe() {
    return this.info;
  }
  read() {
    return readLiveState(this.sql);
  }
  /**
   * Applies the steps in one transaction, each with its audit event: the
   * audit table never holds an event for a step that did not happen, and a
   * step never happens without its event. All or nothing; the apply module
   * isolates failures by retrying steps one at a time. Runs of the common
   * kinds are written set-based (batch.ts), the events in one statement.
   */
  async applyBatch(steps, draft, onStep) {
    await this.sql.transaction(async (tx) => {
      let head = await lastEvent(tx);
      const events = [];
      await writeSteps(tx, steps, (step) => {
        const event = chain(draft(step), head);
        events.push(event);
        head = event;
        onStep?.(step);
      });
      await insertEvents(tx, events);
    });
  }
  lock(timeoutMs) {
    return this.lockImpl(timeoutMs);
  }
  /** For tests and the RLS check: raw SQL on the store. */
  get client() {
    return this.sql;
  }
  close() {
    return this.closeImpl();
  }
};
function scrub(message, url) {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password ? message.split(password).join("***") : message;
  } catch {
    return message;
  }
}
async function lastEvent(sql) {
  const { rows } = await sql.query("select seq::float8 as seq, hash from audit_events order by seq desc limit 1");
  return rows[0] ?? null;
}
async function insertEvents(sql, events) {
  if (events.length === 0) return;
  await sql.query("insert into audit_events (seq, event, prev, hash) select s, e::jsonb, p, h from unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) as t(s, e, p, h)", [
    events.map((e) => e.seq),
    events.map((e) => JSON.stringify(e)),
    events.map((e) => e.prev),
    events.map((e) => e.hash)
  ]);
}
async function appendEvents(sql, drafts) {
  let head = await lastEvent(sql);
  const out = drafts.map((d2) => {
    const event = chain(d2, head);
    head = event;
    return event;
  });
  await insertEvents(sql, out);
  return out;
}
async function readEvents(sql, afterSeq) {
  const { rows } = await sql.query(`select coalesce(json_agg(event order by seq), '[]')::text as events from audit_events where seq > $1`, [afterSeq]);
  return JSON.parse(rows[0].events);
}

// bench/_plan.ts
var NOW = /* @__PURE__ */ new Date("2026-11-01T00:00:00Z");
var dir = mkdtempSync("/tmp/rr-");
cpSync(process.argv[2] + "/store-drift", dir + "/live", { recursive: true });
var p = await PostgresProvider.open({ dataDir: dir + "/live" });
var t0 = performance.now();
var d = loadDeclaration("users", { now: NOW, cwd: process.argv[2] + "/split" }).declaration;
var t1 = performance.now();
var live = await p.read();
var t2 = performance.now();
var r = plan(d, live, NOW);
var t3 = performance.now();
console.log("load", Math.round(t1 - t0), "read", Math.round(t2 - t1), "diff", Math.round(t3 - t2), "plan", Math.round(t3 - t0), r.steps.length);
await p.close();
