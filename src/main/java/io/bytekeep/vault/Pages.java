package io.bytekeep.vault;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The items of a listing of any length, read from the database one page at a time as they are consumed: memory for
 * one page, however large the limit a client asks for.
 */
final class Pages<T> implements Iterator<T> {

    /** Reads the page that follows {@code last} (null: the first page), having read {@code read} items so far. */
    interface Reader<T> {
        List<T> read(T last, long read, int size);
    }

    static final int PAGE_SIZE = 500;

    private final long limit;
    private final Reader<T> reader;
    private List<T> page = List.of();
    private int index;
    private long read;
    private T last;
    private boolean exhausted;

    Pages(long limit, Reader<T> reader) {
        this.limit = limit;
        this.reader = reader;
    }

    @Override
    public boolean hasNext() {
        if (index < page.size()) {
            return true;
        }
        if (exhausted || read >= limit) {
            return false;
        }
        int size = (int) Math.min(PAGE_SIZE, limit - read);
        page = reader.read(last, read, size);
        index = 0;
        exhausted = page.size() < size;
        return !page.isEmpty();
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        last = page.get(index++);
        read++;
        return last;
    }
}
