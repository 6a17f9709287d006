#!/usr/bin/env python3
"""Summarises an async-profiler CPU profile of one large upload (collapsed stacks, one line per stack with its
sample count, recorded with `threads`) by the stage each sample belongs to, in CPU milliseconds per GiB.

A sample's stage is the first marker met walking from the leaf towards the root: the innermost frame that says what
the work was for (an MD5 compression under the S3 server is the ETag, a socket read under Tomcat is the request
body). Kernel frames carry no marker and are attributed to the Java frame that entered the kernel.
Usage: collapsed-summary.py <collapsed file> <bytes uploaded> <sampling interval in ms>
"""
import collections
import re
import sys

# (stage, pattern on one frame), tried in order on each frame from the leaf up
MARKERS = [
    ("S3 server: MD5 of the object (its ETag)", r"md5_implCompress|sun/security/provider/MD5"),
    ("proof hash (SHA-512)", r"sha512_implCompress|sun/security/provider/SHA5"),
    ("S3 client: SigV4 chunk signatures (SHA-256, HMAC)", r"sha256_implCompress|sun/security/provider/SHA2|awssdk/http/auth"),
    ("encryption (AES-GCM)", r"ghash_processBlocks|counterMode_AESCrypt|aescrypt_|com/sun/crypto/provider|ChunkedAeadFormat"),
    ("S3 server: file writes and fsync", r"FileOutputStream\.write|FileChannelImpl\.(write|force)|DurableFileWrites\.forced"),
    ("S3 server: HTTP and aws-chunked decoding", r"org/gaul/|org/jclouds/"),
    ("S3 client: SDK and socket writes", r"software/amazon/awssdk|org/apache/http/"),
    ("HTTP in: Tomcat reading the request body", r"org/apache/(coyote|catalina|tomcat)|io/bytekeep/platform/edge/GuardedBody"),
    ("database (H2, pool)", r"org/h2/|com/zaxxer/hikari"),
    ("Bytekeep, Camel, Spring (other)", r"io/bytekeep/|org/apache/camel/|org/springframework/"),
]
THREAD_STAGES = [
    ("garbage collector", r"GC Thread|G1 |VM Thread"),
    ("JIT compiler", r"C[12] CompilerThre"),
]


def stage(frames):
    for frame in reversed(frames[1:]):
        for name, pattern in MARKERS:
            if re.search(pattern, frame):
                return name
    for name, pattern in THREAD_STAGES:
        if re.search(pattern, frames[0]):
            return name
    return "other (JVM, kernel)"


def main(path, uploaded_bytes, interval_ms):
    stages = collections.Counter()
    leaves = collections.Counter()
    total = 0
    with open(path) as collapsed:
        for line in collapsed:
            stack, count = line.rstrip("\n").rsplit(" ", 1)
            frames = stack.split(";")
            samples = int(count)
            total += samples
            stages[stage(frames)] += samples
            leaves[frames[-1]] += samples
    if total == 0:
        print("no samples")
        return
    per_gib = (1 << 30) / uploaded_bytes * interval_ms
    print(f"async-profiler samples: {total} ({interval_ms} ms of CPU each)\n")
    print("| stage (innermost marked frame of each sample) | share | CPU ms per GiB |")
    print("|---|---|---|")
    for name, samples in stages.most_common():
        print(f"| {name} | {100 * samples / total:.1f} % | {samples * per_gib:,.0f} |")
    print(f"| **all** | 100 % | **{total * per_gib:,.0f}** |")
    print("\n| hottest leaf frames | share |")
    print("|---|---|")
    for frame, samples in leaves.most_common(15):
        print(f"| `{frame}` | {100 * samples / total:.1f} % |")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))
