/* PVH entry of the null guest. QEMU (-kernel) and Firecracker find the entry
 * point in the Xen ELF note below and jump to it in 32-bit protected mode with
 * paging off, flat segments, and %ebx = physical address of hvm_start_info. */

#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.Xen, "a", @note
	.balign 4
	.long 4				/* namesz: "Xen\0" */
	.long 4				/* descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.long pvh_start

	.code32
	.section .text.entry, "ax"
	.globl pvh_start
pvh_start:
	cli
	cld
	movl $stack_top, %esp
	pushl %ebx			/* null_main(start_info) */
	call null_main
halt:
	cli
	hlt
	jmp halt

	.section .bss
	.balign 16
	.skip 16384
stack_top:

	.section .note.GNU-stack, "", @progbits
