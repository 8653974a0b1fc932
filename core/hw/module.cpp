// placeholder so the module library is never empty; real sources sit beside it.
