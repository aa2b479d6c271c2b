/**
 * Makes Go-like CPU profiles of a chosen size for the benchmark: a few thousand functions in a
 * few hundred files, locations with inlined frames, deep stacks drawn from a call tree (so that
 * stacks share prefixes as real ones do), two sample types and string labels on some samples.
 * Deterministic for a seed.
 */
import { encodeProfile } from '../src/core/encode';
import { identityStacks, type Func, type Label, type Location, type Profile } from '../src/core/model';

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

export function generateProfile(targetBytes: number, seed = 1): Uint8Array {
  const rand = rng(seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const nFuncs = Math.max(200, Math.round(targetBytes / 5000));
  const nFiles = Math.max(20, Math.round(nFuncs / 12));
  const pkgs = [
    'runtime',
    'net/http',
    'encoding/json',
    'example.com/app/server',
    'example.com/app/store',
    'github.com/lib/pq',
    'sync',
    'bufio',
  ];
  const functions: Func[] = [];
  for (let i = 0; i < nFuncs; i++) {
    const pkg = pkgs[i % pkgs.length]!;
    const file = `/home/ci/go/src/${pkg}/file${i % nFiles}.go`;
    functions.push({
      id: i + 1,
      name: `${pkg}.(*T${i % 97}).Method${i}`,
      systemName: '',
      file,
      startLine: 10 + (i % 400),
    });
  }
  const locations: Location[] = [];
  const nLocs = nFuncs * 4;
  for (let i = 0; i < nLocs; i++) {
    const f = i % nFuncs;
    const lines = [{ func: f, line: functions[f]!.startLine + 1 + pick(40), column: 0 }];
    if (rand() < 0.15) lines.unshift({ func: (f + 1 + pick(50)) % nFuncs, line: 5 + pick(100), column: 0 });
    locations.push({ id: i + 1, mapping: 0, address: 0x400000 + i * 16, lines, isFolded: false });
  }
  // Stacks: random walks down a fixed call tree (each location calls up to 6 others) so that
  // prefixes repeat, 10 to 50 frames deep as Go server stacks are.
  const children: number[][] = Array.from({ length: nLocs }, (_, i) =>
    Array.from({ length: 1 + (i % 6) }, () => pick(nLocs)),
  );
  const samples: { locs: number[]; v: number; labels?: Label[] }[] = [];
  let bytes = 0;
  const handlers = ['/api/users', '/api/orders', '/healthz', '/metrics'];
  while (bytes < targetBytes) {
    const stack: number[] = [];
    let node = pick(8);
    const depth = 10 + pick(41);
    for (let d = 0; d < depth; d++) {
      stack.push(node);
      // Skewed towards the first callee, so hot paths repeat as in real profiles.
      const c = children[node]!;
      node = c[Math.floor(c.length * rand() ** 3)]!;
    }
    stack.reverse(); // leaf first
    const count = 1 + pick(3);
    const s: { locs: number[]; v: number; labels?: Label[] } = { locs: stack, v: count };
    if (rand() < 0.3) s.labels = [{ key: 'handler', str: handlers[pick(handlers.length)]! }];
    samples.push(s);
    bytes += 12 + stack.length * (nLocs > 16383 ? 3 : 2) + (s.labels ? 6 : 0);
  }
  const T = 2;
  const n = samples.length;
  const values = new Float64Array(n * T);
  const stackStart = new Uint32Array(n + 1);
  let total = 0;
  for (const s of samples) total += s.locs.length;
  const stackLocs = new Uint32Array(total);
  let k = 0;
  samples.forEach((s, i) => {
    values[i * 2] = s.v;
    values[i * 2 + 1] = s.v * 10_000_000;
    stackStart[i] = k;
    for (const l of s.locs) stackLocs[k++] = l;
  });
  stackStart[n] = k;
  const p: Profile = {
    sampleTypes: [
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ],
    defaultSampleType: '',
    samples: {
      count: n,
      values,
      stack: identityStacks(n),
      locStart: stackStart,
      stackLocs,
      labels: samples.map((s) => s.labels),
    },
    mappings: [
      {
        id: 1,
        start: 0x400000,
        limit: 0x400000 + nLocs * 16,
        offset: 0,
        file: '/home/ci/bin/app',
        buildId: '',
        hasFunctions: true,
        hasFilenames: true,
        hasLineNumbers: true,
        hasInlineFrames: true,
      },
    ],
    locations,
    functions,
    dropFrames: '',
    keepFrames: '',
    timeNanos: 1_763_800_000_000_000_000,
    durationNanos: 30_000_000_000,
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    period: 10_000_000,
    comments: [],
    docUrl: '',
  };
  return encodeProfile(p);
}

export interface GoHeapOptions {
  /** Number of samples (distinct stacks). Default 700,000. */
  samples?: number;
  seed?: number;
  /**
   * Every sample its own stack (drawn as the others are, so a few repeat by chance): the worst
   * case for the decoder's stack table, where nothing is shared. Default false.
   */
  allDistinct?: boolean;
}

/**
 * A Go-like heap profile (`/debug/pprof/heap` of a busy server) of the size the flame graph and
 * overlays must handle: four sample types (alloc_objects, alloc_space, inuse_objects,
 * inuse_space, as the runtime writes them), a `bytes` numeric label per sample, about 9,000
 * functions in realistic packages (runtime, the standard library, gRPC, pgx, zap, the user's
 * module), 15 % of locations with inlined frames, stacks from goroutine roots through a fixed
 * call graph (so prefixes repeat and the merged tree looks like a real one), 4 to 64 frames deep
 * with a long tail, about 60,000 distinct stacks (a heap profile has one sample per stack and
 * allocation size), and allocation sizes from a power law. 700,000 samples are about 30 MB
 * uncompressed. Deterministic for a seed.
 */
export function generateGoHeapProfile(o: GoHeapOptions = {}): Uint8Array {
  const nSamples = o.samples ?? 700_000;
  const rand = rng(o.seed ?? 7);
  const pick = (n: number) => Math.floor(rand() * n);
  const mod = 'example.com/shop';
  const pkgs: { path: string; kind: 'runtime' | 'std' | 'dep' | 'user'; types: string[]; verbs: string[] }[] = [
    {
      path: 'runtime',
      kind: 'runtime',
      types: [''],
      verbs: [
        'mallocgc',
        'newobject',
        'makeslice',
        'growslice',
        'mapassign_faststr',
        'makemap',
        'newproc1',
        'concatstrings',
        'rawstring',
        'slicebytetostring',
      ],
    },
    {
      path: 'sync',
      kind: 'std',
      types: ['(*Pool)', '(*Once)', '(*Map)'],
      verbs: ['Get', 'Put', 'Do', 'Load', 'Store', 'doSlow'],
    },
    {
      path: 'bufio',
      kind: 'std',
      types: ['(*Reader)', '(*Writer)', '(*Scanner)'],
      verbs: ['ReadSlice', 'ReadLine', 'Flush', 'Write', 'Scan', 'NewReaderSize'],
    },
    {
      path: 'bytes',
      kind: 'std',
      types: ['(*Buffer)', ''],
      verbs: ['grow', 'WriteString', 'Write', 'ReadFrom', 'Join', 'growSlice'],
    },
    {
      path: 'strings',
      kind: 'std',
      types: ['(*Builder)', ''],
      verbs: ['Split', 'genSplit', 'Join', 'grow', 'WriteString', 'Repeat', 'Fields'],
    },
    {
      path: 'fmt',
      kind: 'std',
      types: ['(*pp)', ''],
      verbs: ['Sprintf', 'doPrintf', 'printArg', 'Errorf', 'newPrinter', 'handleMethods'],
    },
    {
      path: 'reflect',
      kind: 'std',
      types: ['Value', ''],
      verbs: ['New', 'MakeSlice', 'unsafe_New', 'Call', 'packEface', 'copyVal'],
    },
    {
      path: 'encoding/json',
      kind: 'std',
      types: ['(*decodeState)', '(*encodeState)', ''],
      verbs: ['Marshal', 'Unmarshal', 'object', 'value', 'literalStore', 'marshal', 'reflectValue', 'array', 'unquote'],
    },
    {
      path: 'net/http',
      kind: 'std',
      types: ['(*conn)', '(*response)', '(*Server)', '(*Transport)', 'serverHandler', 'HandlerFunc', '(*ServeMux)'],
      verbs: [
        'serve',
        'readRequest',
        'ServeHTTP',
        'finishRequest',
        'Write',
        'roundTrip',
        'dialConn',
        'readLoop',
        'writeLoop',
      ],
    },
    {
      path: 'net/textproto',
      kind: 'std',
      types: ['(*Reader)', 'MIMEHeader'],
      verbs: ['ReadMIMEHeader', 'readContinuedLineSlice', 'canonicalMIMEHeaderKey', 'Set'],
    },
    {
      path: 'database/sql',
      kind: 'std',
      types: ['(*DB)', '(*Rows)', '(*Tx)', '(*Stmt)'],
      verbs: ['QueryContext', 'query', 'Next', 'Scan', 'conn', 'ExecContext', 'queryDC'],
    },
    {
      path: 'compress/gzip',
      kind: 'std',
      types: ['(*Writer)', '(*Reader)'],
      verbs: ['Write', 'Close', 'Read', 'NewReader'],
    },
    {
      path: 'google.golang.org/grpc',
      kind: 'dep',
      types: ['(*Server)', '(*ClientConn)', '(*serverStream)', '(*clientStream)'],
      verbs: ['handleStream', 'processUnaryRPC', 'Invoke', 'RecvMsg', 'SendMsg', 'serveStreams', 'newClientStream'],
    },
    {
      path: 'google.golang.org/grpc/internal/transport',
      kind: 'dep',
      types: ['(*http2Server)', '(*http2Client)', '(*controlBuffer)', '(*loopyWriter)'],
      verbs: ['operateHeaders', 'HandleStreams', 'Write', 'run', 'processData', 'newStream'],
    },
    {
      path: 'google.golang.org/protobuf/internal/impl',
      kind: 'dep',
      types: ['(*MessageInfo)', ''],
      verbs: ['unmarshalPointer', 'marshal', 'sizePointer', 'consumeBytes', 'appendStringSlice'],
    },
    {
      path: 'github.com/jackc/pgx/v5/pgconn',
      kind: 'dep',
      types: ['(*PgConn)', '(*ResultReader)', '(*MultiResultReader)'],
      verbs: ['ExecParams', 'receiveMessage', 'NextRow', 'Read', 'execExtendedSuffix'],
    },
    {
      path: 'github.com/jackc/pgx/v5/pgproto3',
      kind: 'dep',
      types: ['(*Frontend)', '(*DataRow)', '(*chunkReader)'],
      verbs: ['Receive', 'Decode', 'Next', 'translateType'],
    },
    {
      path: 'go.uber.org/zap/zapcore',
      kind: 'dep',
      types: ['(*ioCore)', '(*jsonEncoder)', '(*CheckedEntry)'],
      verbs: ['Write', 'EncodeEntry', 'AddString', 'clone', 'AppendString'],
    },
    {
      path: 'github.com/prometheus/client_golang/prometheus',
      kind: 'dep',
      types: ['(*HistogramVec)', '(*Registry)', '(*histogram)'],
      verbs: ['WithLabelValues', 'Gather', 'Observe', 'GetMetricWithLabelValues', 'Write'],
    },
    {
      path: `${mod}/internal/api`,
      kind: 'user',
      types: ['(*Server)', '(*orderHandler)', '(*searchHandler)', ''],
      verbs: [
        'ServeHTTP',
        'handleOrder',
        'handleSearch',
        'decodeRequest',
        'writeJSON',
        'authenticate',
        'middleware.func1',
        'routes.func3',
      ],
    },
    {
      path: `${mod}/internal/store`,
      kind: 'user',
      types: ['(*DB)', '(*OrderRepo)', '(*rowScanner)', ''],
      verbs: ['ListOrders', 'GetOrder', 'scanRow', 'Query', 'withTx', 'withTx.func1', 'buildFilter'],
    },
    {
      path: `${mod}/internal/cache`,
      kind: 'user',
      types: ['(*LRU)', '(*shard)', ''],
      verbs: ['Get', 'Set', 'evict', 'newEntry', 'hashKey', 'Warm.func2'],
    },
    {
      path: `${mod}/internal/search`,
      kind: 'user',
      types: ['(*Index)', '(*tokenizer)', '(*query)', ''],
      verbs: ['Search', 'tokenize', 'score', 'merge', 'Add', 'normalize', 'parseQuery'],
    },
    {
      path: `${mod}/internal/billing`,
      kind: 'user',
      types: ['(*Invoicer)', '(*ledger)', ''],
      verbs: ['Invoice', 'render', 'appendLine', 'total', 'flush'],
    },
  ];
  const functions: Func[] = [];
  const byKind: Record<string, number[]> = { runtime: [], std: [], dep: [], user: [] };
  // Each package repeats its vocabulary over many generated types and files: ~9,000 functions.
  for (const pk of pkgs) {
    const variants = pk.kind === 'runtime' ? 60 : pk.kind === 'user' ? 70 : 40;
    const dir =
      pk.kind === 'user'
        ? `/build/ci/shop/${pk.path.slice(mod.length + 1)}`
        : pk.kind === 'dep'
          ? `/home/ci/go/pkg/mod/${pk.path}@v1.2.3`
          : `/usr/local/go/src/${pk.path}`;
    for (let v = 0; v < variants; v++) {
      for (const verb of pk.verbs) {
        const ty = pk.types[(v + verb.length) % pk.types.length]!;
        const suffix = v === 0 ? '' : String(v);
        const recv = ty === '' ? '' : ty.startsWith('(') ? `${ty.slice(0, -1)}${suffix}).` : `${ty}${suffix}.`;
        const name = `${pk.path}.${recv}${verb}${ty === '' ? suffix : ''}`;
        byKind[pk.kind]!.push(functions.length);
        functions.push({
          id: functions.length + 1,
          name,
          systemName: name,
          file: `${dir}/${pk.path.split('/').pop()}${v % 7}.go`,
          startLine: 20 + pick(900),
        });
      }
    }
  }
  const nF = functions.length;
  // Locations: each function has a few call sites; 15 % carry an inlined callee.
  const locations: Location[] = [];
  const locsOf: number[][] = functions.map(() => []);
  for (let f = 0; f < nF; f++) {
    const sites = 1 + pick(4);
    for (let k = 0; k < sites; k++) {
      const lines = [{ func: f, line: functions[f]!.startLine + 1 + pick(60), column: 0 }];
      if (rand() < 0.15) {
        const g = pick(nF);
        lines.unshift({ func: g, line: functions[g]!.startLine + 1 + pick(20), column: 0 });
      }
      locsOf[f]!.push(locations.length);
      locations.push({
        id: locations.length + 1,
        mapping: 0,
        address: 0x401000 + locations.length * 24,
        lines,
        isFolded: false,
      });
    }
  }
  // The call graph: user code calls std, deps and user code; deps call std and deps; std calls
  // std and runtime; allocation leaves are runtime. Few callees per function, skewed.
  const kindOf = (f: number) =>
    byKind.runtime!.includes(f)
      ? 'runtime'
      : byKind.user!.includes(f)
        ? 'user'
        : byKind.dep!.includes(f)
          ? 'dep'
          : 'std';
  const fk = functions.map((_, f) => kindOf(f));
  const from = (k: string) => byKind[k]![pick(byKind[k]!.length)]!;
  const callees: number[][] = functions.map((_, f) => {
    const k = fk[f]!;
    const n = 1 + pick(5);
    return Array.from({ length: n }, () => {
      const r = rand();
      if (k === 'user') return from(r < 0.45 ? 'user' : r < 0.75 ? 'std' : r < 0.95 ? 'dep' : 'runtime');
      if (k === 'dep') return from(r < 0.45 ? 'dep' : r < 0.85 ? 'std' : 'runtime');
      if (k === 'std') return from(r < 0.6 ? 'std' : 'runtime');
      return from('runtime');
    });
  });
  const roots = [
    ...byKind.std!.filter((f) =>
      /net\/http\.\(\*conn\d*\)\.serve|net\/http\.\(\*Transport\d*\)\.dialConn/.test(functions[f]!.name),
    ),
    ...byKind.dep!.filter((f) =>
      /grpc\.\(\*Server\d*\)\.serveStreams|transport\.\(\*http2Server\d*\)\.HandleStreams/.test(functions[f]!.name),
    ),
  ].slice(0, 40);
  const goexit = locations.length;
  const goexitFn = functions.length;
  functions.push({
    id: goexitFn + 1,
    name: 'runtime.goexit',
    systemName: 'runtime.goexit',
    file: '/usr/local/go/src/runtime/asm_amd64.s',
    startLine: 1650,
  });
  locations.push({
    id: goexit + 1,
    mapping: 0,
    address: 0x400f00,
    lines: [{ func: goexitFn, line: 1651, column: 0 }],
    isFolded: false,
  });

  // Distinct stacks: a heap profile has one sample per (stack, allocation size), so the 700k
  // samples share about 60k stacks, hot ones many times.
  const nStacks = o.allDistinct ? nSamples : Math.max(1, Math.round(nSamples / 12));
  const pool: Uint32Array[] = [];
  for (let q = 0; q < nStacks; q++) {
    // Depth: 4..64 with most stacks 8-16 deep (an exponential tail).
    const depth = Math.min(64, 4 + Math.floor(-Math.log(1 - rand()) * 9));
    let f = roots[Math.floor(roots.length * rand() ** 2)]!;
    const path: number[] = [goexit];
    for (let d = 0; d < depth; d++) {
      const sites = locsOf[f]!;
      path.push(sites[Math.floor(sites.length * rand() ** 2)]!);
      const c = callees[f]!;
      f = c[Math.floor(c.length * rand() ** 3)]!;
      if (d >= depth - 2 && fk[f] !== 'runtime') f = from('runtime');
    }
    path.push(locsOf[byKind.runtime![0]!]![0]!); // runtime.mallocgc at the leaf
    pool.push(Uint32Array.from(path.reverse())); // leaf first
  }
  const T = 4;
  const values = new Float64Array(nSamples * T);
  const stackStart = new Uint32Array(nSamples + 1);
  let locBuf = new Uint32Array(nSamples * 16);
  const labels: (Label[] | undefined)[] = new Array(nSamples);
  let k = 0;
  for (let s = 0; s < nSamples; s++) {
    const stack = pool[o.allDistinct ? s : Math.floor(nStacks * rand() ** 1.5)]!;
    if (k + stack.length > locBuf.length) {
      const b = new Uint32Array(locBuf.length * 2);
      b.set(locBuf);
      locBuf = b;
    }
    stackStart[s] = k;
    locBuf.set(stack, k);
    k += stack.length;
    // Sizes from a power law, objects from the size; some of it still in use.
    const size = 2 ** (3 + Math.floor(rand() ** 2.5 * 17));
    const objects = 1 + Math.floor(rand() ** 4 * 2000);
    const inuse = rand() < 0.35 ? Math.max(1, Math.floor(objects * rand() * 0.4)) : 0;
    values[s * T] = objects;
    values[s * T + 1] = objects * size;
    values[s * T + 2] = inuse;
    values[s * T + 3] = inuse * size;
    labels[s] = [{ key: 'bytes', num: size }];
  }
  stackStart[nSamples] = k;
  const p: Profile = {
    sampleTypes: [
      { type: 'alloc_objects', unit: 'count' },
      { type: 'alloc_space', unit: 'bytes' },
      { type: 'inuse_objects', unit: 'count' },
      { type: 'inuse_space', unit: 'bytes' },
    ],
    defaultSampleType: '',
    samples: {
      count: nSamples,
      values,
      stack: identityStacks(nSamples),
      locStart: stackStart,
      stackLocs: locBuf.slice(0, k),
      labels,
    },
    mappings: [
      {
        id: 1,
        start: 0x400000,
        limit: 0x400000 + locations.length * 24 + 0x1000,
        offset: 0,
        file: '/build/ci/shop/bin/shopd',
        buildId: 'f3c1e0a9',
        hasFunctions: true,
        hasFilenames: true,
        hasLineNumbers: true,
        hasInlineFrames: true,
      },
    ],
    locations,
    functions,
    dropFrames: '',
    keepFrames: '',
    timeNanos: 1_763_800_000_000_000_000,
    durationNanos: 0,
    periodType: { type: 'space', unit: 'bytes' },
    period: 524288,
    comments: [],
    docUrl: '',
  };
  return encodeProfile(p);
}
