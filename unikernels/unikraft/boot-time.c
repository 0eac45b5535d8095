/* Unikraft's own statement of when it reached main(): its monotonic clock,
 * which starts at the platform's clock initialisation early in the boot, read
 * on entry to main(). It is printed only after the workload returns, so that
 * the boot the tool measures is not slowed by it; benchmark-tool records it
 * beside its own boot time as the guest-reported one. */
#include <stdio.h>
#include <uk/plat/time.h>

int benchmark_workload_main(void);

int main(void)
{
	__nsec reached_main_ns = ukplat_monotonic_clock();
	int status = benchmark_workload_main();

	printf("benchmark-tool: Unikraft reached main() at %llu ns of its clock\n",
	       (unsigned long long)reached_main_ns);
	return status;
}
