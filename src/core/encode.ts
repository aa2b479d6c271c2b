/**
 * Profile -> profile.proto bytes (uncompressed; gzip them to write a .pb.gz). Used to save
 * filtered or compared profiles so that `go tool pprof` can read them, and by tests and the
 * benchmark generator to build profiles of any shape.
 */
import { protobuf } from './pbconfig';
import type { Profile, ValueType } from './model';

type Writer = ReturnType<typeof protobuf.Writer.create>;

class Strings {
  readonly table: string[] = [''];
  private readonly index = new Map<string, number>([['', 0]]);
  of(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.table.length;
      this.table.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

function varintField(w: Writer, field: number, v: number): void {
  if (v === 0) return;
  w.uint32((field << 3) | 0);
  writeInt64(w, v);
}

/** Writes a double as an int64 varint (exact below 2^53; negatives as two's complement). */
function writeInt64(w: Writer, v: number): void {
  if (v >= 0 && v < 2 ** 32) {
    w.uint32(v >>> 0);
    return;
  }
  w.int64(v);
}

function message(w: Writer, field: number, body: (w: Writer) => void): void {
  w.uint32((field << 3) | 2).fork();
  body(w);
  w.ldelim();
}

function valueType(w: Writer, field: number, t: ValueType, s: Strings): void {
  message(w, field, (m) => {
    varintField(m, 1, s.of(t.type));
    varintField(m, 2, s.of(t.unit));
  });
}

export function encodeProfile(p: Profile): Uint8Array {
  const s = new Strings();
  const w = protobuf.Writer.create();
  for (const t of p.sampleTypes) valueType(w, 1, t, s);
  const T = p.sampleTypes.length;
  const { values, locStart, stack, stackLocs, labels, count } = p.samples;
  for (let i = 0; i < count; i++) {
    message(w, 2, (m) => {
      const a = locStart[stack[i]!]!;
      const b = locStart[stack[i]! + 1]!;
      if (b > a) {
        m.uint32((1 << 3) | 2).fork();
        for (let k = a; k < b; k++) writeInt64(m, p.locations[stackLocs[k]!]!.id);
        m.ldelim();
      }
      if (T > 0) {
        m.uint32((2 << 3) | 2).fork();
        for (let t = 0; t < T; t++) writeInt64(m, values[i * T + t]!);
        m.ldelim();
      }
      for (const l of labels[i] ?? []) {
        message(m, 3, (lm) => {
          varintField(lm, 1, s.of(l.key));
          if (l.str !== undefined) varintField(lm, 2, s.of(l.str));
          else {
            varintField(lm, 3, l.num ?? 0);
            if (l.numUnit !== undefined) varintField(lm, 4, s.of(l.numUnit));
          }
        });
      }
    });
  }
  for (const m of p.mappings) {
    message(w, 3, (mw) => {
      varintField(mw, 1, m.id);
      varintField(mw, 2, m.start);
      varintField(mw, 3, m.limit);
      varintField(mw, 4, m.offset);
      varintField(mw, 5, s.of(m.file));
      varintField(mw, 6, s.of(m.buildId));
      varintField(mw, 7, m.hasFunctions ? 1 : 0);
      varintField(mw, 8, m.hasFilenames ? 1 : 0);
      varintField(mw, 9, m.hasLineNumbers ? 1 : 0);
      varintField(mw, 10, m.hasInlineFrames ? 1 : 0);
    });
  }
  for (const l of p.locations) {
    message(w, 4, (lw) => {
      varintField(lw, 1, l.id);
      varintField(lw, 2, l.mapping >= 0 ? p.mappings[l.mapping]!.id : 0);
      varintField(lw, 3, l.address);
      for (const ln of l.lines) {
        message(lw, 4, (lnw) => {
          varintField(lnw, 1, ln.func >= 0 ? p.functions[ln.func]!.id : 0);
          varintField(lnw, 2, ln.line);
          varintField(lnw, 3, ln.column);
        });
      }
      varintField(lw, 5, l.isFolded ? 1 : 0);
    });
  }
  for (const f of p.functions) {
    message(w, 5, (fw) => {
      varintField(fw, 1, f.id);
      varintField(fw, 2, s.of(f.name));
      varintField(fw, 3, s.of(f.systemName));
      varintField(fw, 4, s.of(f.file));
      varintField(fw, 5, f.startLine);
    });
  }
  // Scalars and references into the string table come before it is written out.
  const tail = protobuf.Writer.create();
  varintField(tail, 7, s.of(p.dropFrames));
  varintField(tail, 8, s.of(p.keepFrames));
  if (p.timeNanosExact !== undefined) {
    const big = BigInt.asUintN(64, BigInt(p.timeNanosExact));
    tail.uint32((9 << 3) | 0);
    tail.int64({ low: Number(big & 0xffffffffn), high: Number(big >> 32n) } as unknown as number);
  } else varintField(tail, 9, p.timeNanos);
  varintField(tail, 10, p.durationNanos);
  if (p.periodType) valueType(tail, 11, p.periodType, s);
  varintField(tail, 12, p.period);
  for (const c of p.comments) {
    tail.uint32((13 << 3) | 0);
    writeInt64(tail, s.of(c));
  }
  varintField(tail, 14, s.of(p.defaultSampleType));
  varintField(tail, 15, s.of(p.docUrl));
  for (const str of s.table) w.uint32((6 << 3) | 2).string(str);
  const head = w.finish();
  const rest = tail.finish();
  const out = new Uint8Array(head.length + rest.length);
  out.set(head, 0);
  out.set(rest, head.length);
  return out;
}
