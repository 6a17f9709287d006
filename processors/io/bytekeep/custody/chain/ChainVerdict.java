package io.bytekeep.custody.chain;

/** The outcome of replaying a chain: valid, or the first link that breaks it and why. */
public record ChainVerdict(boolean valid, int links, BrokenLink firstBrokenLink) {

    public record BrokenLink(int index, String reason) {
    }

    static ChainVerdict valid(int links) {
        return new ChainVerdict(true, links, null);
    }

    static ChainVerdict broken(int links, int index, String reason) {
        return new ChainVerdict(false, links, new BrokenLink(index, reason));
    }
}
