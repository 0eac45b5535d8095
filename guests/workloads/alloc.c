/* The alloc workload (as in the earlier Go tool): prints the ready marker, then
 * allocates 4 x 10 MiB touching every byte, a second's pause after each, and
 * frees them again, a second's pause after each free. The blocks are mmap'ed
 * so that each free really returns the memory to the kernel. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BLOCKS 4
#define BLOCK_BYTES (10u * 1024 * 1024)

static const char READY_LINE[] = "BENCHMARK_TOOL_READY\n";

int main(void)
{
	if (write(STDOUT_FILENO, READY_LINE, sizeof READY_LINE - 1) != sizeof READY_LINE - 1)
		return 1;

	unsigned char *blocks[BLOCKS];
	for (int i = 0; i < BLOCKS; i++) {
		blocks[i] = mmap(NULL, BLOCK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (blocks[i] == MAP_FAILED) {
			perror("alloc: mmap");
			return 1;
		}
		memset(blocks[i], i + 1, BLOCK_BYTES);
		/* Keep the compiler from dropping the stores to memory never read. */
		__asm__ volatile("" : : "r"(blocks[i]) : "memory");
		sleep(1);
	}
	for (int i = 0; i < BLOCKS; i++) {
		if (munmap(blocks[i], BLOCK_BYTES) != 0) {
			perror("alloc: munmap");
			return 1;
		}
		sleep(1);
	}
	return 0;
}
