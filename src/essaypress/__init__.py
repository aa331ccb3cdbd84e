"""essaypress."""
