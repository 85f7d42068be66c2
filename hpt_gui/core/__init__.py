"""Qt-free core: data loading, search spaces, evaluation, storage and the engine facade.

How the parts fit (the one-way flow from the two front ends through ``engine`` to the
services, and where a new strategy, model, view or command goes): docs/architecture.md.
"""
