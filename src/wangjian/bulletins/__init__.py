"""通报 and official documents: the monthly 网络市场监管工作通报 generated from the statistics registry, laid
out per GB/T 9704-2012 (Word and PDF), issued as a notice with read receipts, and the Excel statistics tables."""
