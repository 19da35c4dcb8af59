/* Shared between the Booster driver and its clients (chapter 4, "BoosterCommon.h"). */
#ifndef BOOSTER_COMMON_H
#define BOOSTER_COMMON_H

typedef struct {
    ULONG ThreadId;
    int Priority;
} ThreadData;

#endif
