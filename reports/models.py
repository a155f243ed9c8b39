"""The semester Humas assessment."""
