"""Review: the states a translation passes through on its way to readers."""
