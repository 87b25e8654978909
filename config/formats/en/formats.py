# The English interface keeps the Vietnamese conventions for dates and numbers, so that a figure
# reads the same in both languages and in the documents the product prints.
from config.formats.vi.formats import *  # noqa: F403
