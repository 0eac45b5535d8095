/* The hello workload: prints the ready marker and exits. */
#include <unistd.h>

static const char READY_LINE[] = "BENCHMARK_TOOL_READY\n";

int main(void)
{
	return write(STDOUT_FILENO, READY_LINE, sizeof READY_LINE - 1) == sizeof READY_LINE - 1 ? 0 : 1;
}
