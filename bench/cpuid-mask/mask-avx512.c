// LD_PRELOAD shim that makes a process see an AVX2-only CPU on an AVX-512 machine.
//
// Why: issue 14 asks for Clickwise against ONNX Runtime on AVX2-only CPUs too. DOTNET_EnableAVX512=0 only holds
// .NET back; ONNX Runtime's MLAS picks its kernels from CPUID, so it kept its AVX-512 GEMM. Linux's CPUID faulting
// (arch_prctl(ARCH_SET_CPUID, 0); /proc/cpuinfo flag "cpuid_fault") turns every CPUID instruction of the process
// into a SIGSEGV. The handler below runs the real CPUID with faulting briefly off, clears the AVX-512 feature bits
// and resumes after the instruction, so the .NET JIT, MLAS and cpuinfo all choose their AVX2 paths.
//
// Build: gcc -O2 -shared -fPIC -o mask-avx512.so mask-avx512.c
// Use:   LD_PRELOAD=$PWD/mask-avx512.so clickwise info     (prints Vector512=off when the mask works)
//
// The setting is per thread, inherited by threads created later and reset by execve, so it is set in a constructor
// that runs before main. The .NET runtime installs its own SIGSEGV handler later and treats a fault in native code
// as a crash, so this shim also stands in for sigaction(SIGSEGV): it stays installed, keeps whatever handler the
// process asks for, and hands it every fault that is not a CPUID.
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);

static struct sigaction chained; // the handler the process installed for SIGSEGV (SIG_DFL until it does)
static int installed;

static long set_cpuid_enabled(int enabled) { return syscall(SYS_arch_prctl, ARCH_SET_CPUID, enabled); }

static void mask_avx512(uint32_t leaf, uint32_t subleaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    if (leaf == 7 && subleaf == 0)
    {
        // EBX: AVX512F 16, DQ 17, IFMA 21, PF 26, ER 27, CD 28, BW 30, VL 31.
        *b &= ~((1u << 16) | (1u << 17) | (1u << 21) | (1u << 26) | (1u << 27) | (1u << 28) | (1u << 30) | (1u << 31));
        // ECX: VBMI 1, VBMI2 6, VNNI 11, BITALG 12, VPOPCNTDQ 14.
        *c &= ~((1u << 1) | (1u << 6) | (1u << 11) | (1u << 12) | (1u << 14));
        // EDX: 4VNNIW 2, 4FMAPS 3, VP2INTERSECT 8, FP16 23.
        *d &= ~((1u << 2) | (1u << 3) | (1u << 8) | (1u << 23));
    }
    else if (leaf == 7 && subleaf == 1)
    {
        *a &= ~(1u << 5); // AVX512_BF16
    }
}

static void on_fault(int signal, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    greg_t *regs = uc->uc_mcontext.gregs;
    const uint8_t *ip = (const uint8_t *)regs[REG_RIP];
    // A faulting CPUID arrives as a general protection fault (SI_KERNEL); only then is the instruction pointer known to be
    // readable code.
    if (info->si_code == SI_KERNEL && ip[0] == 0x0F && ip[1] == 0xA2)
    {
        uint32_t leaf = (uint32_t)regs[REG_RAX], subleaf = (uint32_t)regs[REG_RCX];
        uint32_t a, b, c, d;
        set_cpuid_enabled(1);
        __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(leaf), "c"(subleaf));
        set_cpuid_enabled(0);
        mask_avx512(leaf, subleaf, &a, &b, &c, &d);
        regs[REG_RAX] = a;
        regs[REG_RBX] = b;
        regs[REG_RCX] = c;
        regs[REG_RDX] = d;
        regs[REG_RIP] += 2;
        return;
    }
    if (chained.sa_flags & SA_SIGINFO)
    {
        chained.sa_sigaction(signal, info, context);
        return;
    }
    if (chained.sa_handler != SIG_DFL && chained.sa_handler != SIG_IGN)
    {
        chained.sa_handler(signal);
        return;
    }
    // A real fault and no handler: restore the default action, so the instruction faults again and ends the process.
    sigaction_fn real = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    real(signal, &fallback, NULL);
}

int sigaction(int signal, const struct sigaction *action, struct sigaction *old)
{
    sigaction_fn real = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
    if (signal != SIGSEGV || !installed)
        return real(signal, action, old);
    if (old)
        *old = chained;
    if (action)
        chained = *action;
    return 0;
}

__attribute__((constructor)) static void install(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    ((sigaction_fn)dlsym(RTLD_NEXT, "sigaction"))(SIGSEGV, &action, &chained);
    installed = 1;
    if (set_cpuid_enabled(0) != 0)
    {
        static const char message[] = "mask-avx512: CPUID faulting is not available here (no cpuid_fault); nothing masked\n";
        write(2, message, sizeof message - 1);
    }
}
