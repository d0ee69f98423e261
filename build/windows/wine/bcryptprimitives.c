// ProcessPrng, the one function of Windows' bcryptprimitives.dll that Go programs (since Go 1.24)
// need to start: Debian 12's Wine 8 has no such DLL. scripts/dist-wine.sh builds this one for its Wine
// prefix only; it is never shipped. It fills the buffer from Wine's RtlGenRandom, as Windows' does
// from its own generator.
#include <windows.h>

__declspec(dllimport) BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); // RtlGenRandom

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
	while (length > 0) {
		ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}
