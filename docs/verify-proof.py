#!/usr/bin/env python3
"""Checks a Bytekeep proof of existence (the JSON of GET /bytes/raw/{id}/proof) with the Python standard library only.

    python3 verify-proof.py proof.json [--raw FILE] [--out DIR]

MERKLE: folds the RFC 6962 inclusion proof from the leaf (SHA-256(0x00 || UTF-8 of secure_hash)) up to the root and
compares it with batch.root. --raw FILE: also recomputes secure_hash from the raw bytes and ended_at. --out DIR: writes
DIR/token.tsr (the DER timestamp token) and DIR/timestamped.bin (the data the TSA timestamped: the 32 root bytes, or in
SINGLE mode the UTF-8 of secure_hash) and prints the openssl command that checks the token. Exit status 0 = verified.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import sys


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion_proof(leaf_hash, index, size, proof):
    """RFC 9162, 2.1.3.2: the root an audit path leads to, or None if the path has the wrong length."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("proof", help="JSON answer of GET /bytes/raw/{id}/proof")
    parser.add_argument("--raw", help="the raw file's bytes, to recompute secure_hash")
    parser.add_argument("--out", help="directory for token.tsr and timestamped.bin (input of openssl ts -verify)")
    args = parser.parse_args()
    with open(args.proof, encoding="utf-8") as f:
        proof = json.load(f)
    secure_hash = proof["secure_hash"]
    ok = True

    if args.raw:
        digest = hashlib.new(proof["hash_algorithm"])
        with open(args.raw, "rb") as raw:
            for chunk in iter(lambda: raw.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(proof["ended_at"].encode("utf-8"))
        recomputed = proof["hash_algorithm"] + ":" + digest.hexdigest()
        same = hmac.compare_digest(recomputed, secure_hash)
        print("secure_hash of the raw bytes and ended_at:", "OK" if same else "MISMATCH (" + recomputed + ")")
        ok &= same

    if proof["mode"] == "MERKLE":
        batch = proof["batch"]
        leaf = hashlib.sha256(b"\x00" + secure_hash.encode("utf-8")).digest()
        root = root_from_inclusion_proof(leaf, proof["leaf_index"], batch["tree_size"],
                                         [bytes.fromhex(h) for h in proof["inclusion_proof"]])
        expected = bytes.fromhex(batch["root"])
        same = root is not None and hmac.compare_digest(root, expected)
        print("inclusion of leaf %d in batch %s (%d leaves, root %s): %s"
              % (proof["leaf_index"], batch["id"], batch["tree_size"], batch["root"], "OK" if same else "FAILED"))
        ok &= same
        timestamped = expected
    else:
        timestamped = secure_hash.encode("utf-8")

    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "token.tsr"), "wb") as f:
            f.write(base64.b64decode(proof["timestamp_token"]))
        with open(os.path.join(args.out, "timestamped.bin"), "wb") as f:
            f.write(timestamped)
        print("now: openssl ts -verify -token_in -in %s -data %s -CAfile <TSA CA certificate, PEM>"
              % (os.path.join(args.out, "token.tsr"), os.path.join(args.out, "timestamped.bin")))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
