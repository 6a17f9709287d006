/*
 * Copyright 2014-2024 Andrew Gaul <andrew@gaul.org>
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 * https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package org.gaul.s3proxy;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * S3Proxy 2.6.0's decoder of aws-chunked bodies (AWS signature v4 streaming,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html), as
 * Bytekeep's embedded S3 server runs it: this class replaces the one in the
 * s3proxy 2.6.0 jar (application classes come first on the class path).
 *
 * <p>Changed from 2.6.0, each as S3Proxy itself later changed it:
 * {@code read(byte[], int, int)} copies a chunk's bytes in bulk instead of one
 * {@code read()} call per byte (upstream 6f7e8970, in 4.0.0; the per-byte loop
 * was 40 % of the CPU of a 1 GiB upload); a body that ends before its
 * zero-length chunk fails instead of storing what arrived as a whole object
 * (upstream 5f34b480); the chunk buffer is reused (upstream 0cdd748a) and a
 * chunk is at most {@value #MAX_CHUNK_BYTES} bytes. Chunk signatures stay
 * unchecked, as in 2.6.0: the request's own signature is checked.
 */
final class ChunkedInputStream extends FilterInputStream {

    static final int MAX_CHUNK_BYTES = 16 * 1024 * 1024;

    private byte[] chunk = new byte[0];
    private int currentIndex;
    private int currentLength;
    private boolean finished;

    ChunkedInputStream(InputStream is) {
        super(is);
    }

    @Override
    public int read() throws IOException {
        while (currentIndex == currentLength) {
            if (finished) {
                return -1;
            }
            String line = readLine(in);
            if (line == null || line.isEmpty()) {
                throw new IOException("the aws-chunked body ended before its last chunk");
            }
            String[] parts = line.split(";", 2);
            int length;
            try {
                length = Integer.parseInt(parts[0], 16);
            } catch (NumberFormatException e) {
                throw new IOException("not an aws-chunked chunk header: " + line, e);
            }
            if (length < 0 || length > MAX_CHUNK_BYTES) {
                throw new IOException("aws-chunked chunk of " + length + " bytes; at most " + MAX_CHUNK_BYTES);
            }
            if (chunk.length < length) {
                chunk = new byte[length];
            }
            currentLength = length;
            currentIndex = 0;
            int read = in.readNBytes(chunk, 0, length);
            if (read < length) {
                throw new EOFException("the aws-chunked body ended inside a chunk of " + length + " bytes");
            }
            if (length == 0) {
                finished = true;
                return -1;
            }
            readLine(in);
        }
        return chunk[currentIndex++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        // the first byte through read(): it (re)fills the chunk and knows the end
        int first = read();
        if (first == -1) {
            return -1;
        }
        b[off] = (byte) first;
        int n = Math.min(len - 1, currentLength - currentIndex);
        System.arraycopy(chunk, currentIndex, b, off + 1, n);
        currentIndex += n;
        return n + 1;
    }

    /**
     * Reads a \r\n terminated line.
     *
     * @return the line without its newline, or null at the end of the stream
     */
    private static String readLine(InputStream is) throws IOException {
        StringBuilder builder = new StringBuilder();
        while (true) {
            int ch = is.read();
            if (ch == '\r') {
                ch = is.read();
                if (ch == '\n') {
                    return builder.toString();
                }
                throw new IOException("unexpected char after \\r: " + ch);
            } else if (ch == -1) {
                if (builder.length() > 0) {
                    throw new IOException("unexpected end of stream");
                }
                return null;
            }
            if (builder.length() >= 4096) {
                throw new IOException("aws-chunked header line longer than 4096 characters");
            }
            builder.append((char) ch);
        }
    }
}
