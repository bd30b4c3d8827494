"""Trainer adapters: ``arbiter_client.adapters.{verl,openrlhf,trl,slime}``.

Each is a small module with module-level functions (picklable by reference, loadable by dotted
path, file path or ``pkg://``), absolute imports only, and no trainer import: the trainers call
them, not the other way round. Contracts: /work/shared/spec/trainers.md §6 and the README.
"""
