/**
 * Configures protobufjs before any generated code loads: int64 fields become JS numbers, never
 * Long objects (see the int64 policy in model.ts). The generated module reads util.Long when it
 * is first evaluated, so this module must be imported before ./proto/profile.
 */
import * as $protobuf from 'protobufjs/minimal.js';

$protobuf.util.Long = undefined as unknown as typeof $protobuf.util.Long;
$protobuf.configure();

export const protobuf = $protobuf;
