/*
 * bcryptprimitives.dll for Wine 8: Go >= 1.24 gets its random bytes from
 * ProcessPrng in bcryptprimitives.dll, which Wine 8.0 lacks, so every Go
 * program dies at start ("bcryptprimitives.dll not found"). This stub
 * exports ProcessPrng and answers it with BCryptGenRandom, which Wine has.
 * Only for running the Windows build under Wine in tests (scripts/wine-test
 * builds it and copies it into the prefix's system32); real Windows has
 * its own DLL.
 *
 *   x86_64-w64-mingw32-gcc -shared -O2 -s -o bcryptprimitives.dll processprng.c -lbcrypt
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
