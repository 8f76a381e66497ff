"""The partnership's community-voice report: what we heard, who we heard, what we did, what we
funded and whom it reached, and the gaps (in provision, and where we have not yet listened),
for a period and an area. It composes the feature packages' own figures; it counts nothing of
its own but the listening table."""
