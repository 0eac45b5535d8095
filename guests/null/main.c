/* The null guest: prints the ready marker on COM1 and powers the machine off.
 * It runs in 32-bit protected mode without paging; it is compiled with -m32
 * and its linked image converted to ELF64, which Firecracker requires. */
#include <stdint.h>

#define READY_LINE "BENCHMARK_TOOL_READY\r\n"

#define COM1 0x3f8
#define COM1_LSR (COM1 + 5)
#define LSR_THRE 0x20

/* QEMU pc: PIIX4 PM1a_CNT at the PM base SeaBIOS sets (0x600); SLP_EN with
 * SLP_TYP 0, the S5 type of QEMU's DSDT. */
#define PIIX4_PM1A_CNT 0x604
#define PM1_SLP_EN 0x2000

/* QEMU microvm: the ACPI Generic Event Device's sleep control register
 * (GED_MMIO_BASE_REGS in include/hw/i386/microvm.h); SLP_TYP S5 | SLP_EN. */
#define MICROVM_GED_SLEEP_CTL 0xfea00200u
#define GED_SLEEP_S5 ((5 << 2) | 0x20)

/* Firecracker (and pc): pulse the reset line through the i8042 controller. */
#define I8042_COMMAND 0x64
#define I8042_RESET 0xfe

/* QEMU -device isa-debug-exit,iobase=0xf4: QEMU exits at once. */
#define DEBUG_EXIT_PORT 0xf4

/* Firecracker's --boot-timer device logs the boot time on this byte. */
#define BOOT_TIMER_MAGIC 123

#define HVM_START_MAGIC 0x336ec578u

/* The fields of struct hvm_start_info (xen/include/public/arch-x86/hvm/start_info.h)
 * this guest reads; the 64-bit fields sit at 8-byte offsets as in the ABI. */
struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
};
_Static_assert(__builtin_offsetof(struct hvm_start_info, cmdline_paddr) == 24, "PVH ABI");

enum exit_method { EXIT_AUTO, EXIT_ACPI, EXIT_GED, EXIT_I8042, EXIT_DEBUG };

static inline void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t value)
{
	__asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t value;
	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline void mmio_write8(uintptr_t address, uint8_t value)
{
	*(volatile uint8_t *)address = value;
}

static void serial_write(const char *s)
{
	for (; *s; s++) {
		while (!(inb(COM1_LSR) & LSR_THRE))
			;
		outb(COM1, (uint8_t)*s);
	}
}

/* The length of `prefix` if `token` starts with it, else 0. */
static int match_prefix(const char *token, const char *prefix)
{
	int i = 0;
	for (; prefix[i]; i++)
		if (token[i] != prefix[i])
			return 0;
	return i;
}

static int token_equals(const char *token, const char *word)
{
	int i = 0;
	for (; word[i]; i++)
		if (token[i] != word[i])
			return 0;
	return token[i] == '\0' || token[i] == ' ';
}

static uintptr_t parse_hex(const char *s)
{
	uintptr_t value = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (;; s++) {
		char c = *s;
		if (c >= '0' && c <= '9')
			value = value * 16 + (uintptr_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			value = value * 16 + (uintptr_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			value = value * 16 + (uintptr_t)(c - 'A' + 10);
		else
			return value;
	}
}

struct boot_options {
	enum exit_method exit;
	uintptr_t boot_timer;
};

static struct boot_options parse_cmdline(const char *cmdline)
{
	struct boot_options options = { EXIT_AUTO, 0 };
	const char *p = cmdline;
	while (p && *p) {
		while (*p == ' ')
			p++;
		int n;
		if ((n = match_prefix(p, "exit="))) {
			const char *v = p + n;
			if (token_equals(v, "acpi"))
				options.exit = EXIT_ACPI;
			else if (token_equals(v, "ged"))
				options.exit = EXIT_GED;
			else if (token_equals(v, "i8042"))
				options.exit = EXIT_I8042;
			else if (token_equals(v, "debug-exit"))
				options.exit = EXIT_DEBUG;
		} else if ((n = match_prefix(p, "boot_timer="))) {
			options.boot_timer = parse_hex(p + n);
		}
		while (*p && *p != ' ')
			p++;
	}
	return options;
}

static void request_exit(enum exit_method method)
{
	switch (method) {
	case EXIT_ACPI:
		outw(PIIX4_PM1A_CNT, PM1_SLP_EN);
		break;
	case EXIT_GED:
		mmio_write8(MICROVM_GED_SLEEP_CTL, GED_SLEEP_S5);
		break;
	case EXIT_I8042:
		outb(I8042_COMMAND, I8042_RESET);
		break;
	case EXIT_DEBUG:
		outb(DEBUG_EXIT_PORT, 0);
		break;
	case EXIT_AUTO:
		break;
	}
}

/* QEMU handles a shutdown request in its main loop, so the vCPU runs on for a
 * moment after the write: give each method time (50M TSC ticks, some 20 ms)
 * before trying the next. */
static void spin(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	uint64_t end = (((uint64_t)hi << 32) | lo) + 50000000ull;
	for (;;) {
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		if ((((uint64_t)hi << 32) | lo) >= end)
			return;
		__asm__ volatile("pause");
	}
}

void null_main(const struct hvm_start_info *start_info)
{
	const char *cmdline = 0;
	if (start_info && start_info->magic == HVM_START_MAGIC && start_info->cmdline_paddr != 0 &&
	    start_info->cmdline_paddr < 0x100000000ull)
		cmdline = (const char *)(uintptr_t)start_info->cmdline_paddr;
	struct boot_options options = parse_cmdline(cmdline);

	serial_write(READY_LINE);
	if (options.boot_timer)
		mmio_write8(options.boot_timer, BOOT_TIMER_MAGIC);

	if (options.exit != EXIT_AUTO) {
		request_exit(options.exit);
		return;
	}
	/* Harmless where absent: unused I/O ports and MMIO are ignored. */
	static const enum exit_method order[] = { EXIT_ACPI, EXIT_GED, EXIT_I8042, EXIT_DEBUG };
	for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++) {
		request_exit(order[i]);
		spin();
	}
}
