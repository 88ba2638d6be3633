package app

import "woodshed/shared/httpapi"

func (a *App) practiceHandlers(add func(string, httpapi.Func)) {}
