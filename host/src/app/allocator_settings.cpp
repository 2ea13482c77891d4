// jemalloc's settings, read once at start-up (MALLOC_CONF in the environment still overrides
// them). Two arenas: the host runs on few cores and most of its threads wait on the network,
// so more arenas only hold more memory. Freed pages go back to the system after a second.
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's contract.
const char* malloc_conf = "narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0";
}
