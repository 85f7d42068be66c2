"""Qt-free core: data loading, search spaces, evaluation and storage."""
